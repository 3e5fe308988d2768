import { TestBed } from '@angular/core/testing';
import { I18nService } from '../core/i18n/i18n.service';
import { chooseOption, FakeApi, sampleCloud, settle, setUpConsoleSpec, texts, renderComponent } from '../../testing/test-helpers';
import { CloudsComponent } from './clouds.component';

describe('CloudsComponent', () => {
  let api: FakeApi;
  let clouds: FakeApi['clouds'];

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [CloudsComponent] });
    clouds = api.clouds;
    clouds.list.query.and.resolveTo({
      items: [
        sampleCloud(),
        sampleCloud({
          id: 'jx-xc-ganzhou',
          name: '赣州市信创云',
          nameEn: 'Ganzhou Xinchuang Cloud',
          region: '3607',
          regionName: '赣州市',
          kind: 'xinchuang',
          siteRoles: ['remote-dr'],
          dualActive: false,
          health: { status: 'degraded', checkedAt: new Date(Date.now() - 125_000).toISOString(), latencyMs: 820, message: 'slow' },
          circuit: 'half-open',
          capacity: [
            { arch: 'loongarch64', vendor: 'loongson', resourceClass: 'vcpu', total: 200, used: 190, overcommit: 1 },
          ],
          lastSync: { at: null, status: null, objects: 0, durationMs: null },
        }),
      ],
    });
  });

  const render = () => renderComponent(CloudsComponent);

  const row = (el: HTMLElement, id: string) => el.querySelector(`tr[data-cloud="${id}"]`)!;

  it('shows every cloud with health, freshness, circuit and kind', async () => {
    const { el } = await render();

    expect(clouds.list.query).toHaveBeenCalledOnceWith({});
    expect(texts('td.name a', el)).toEqual(['江西省政务云', '赣州市信创云']);
    expect(texts('td.region', el)).toEqual(['南昌市', '赣州市']);
    expect(texts('td.kind nz-tag', el)).toEqual(['通用', '信创']);

    const province = row(el, 'jx-province');
    expect(province.querySelector('nz-badge.health-badge')?.getAttribute('data-status')).toBe('up');
    expect(province.querySelector('.health-badge')?.textContent).toContain('正常');
    expect(province.querySelector('.ant-badge-status-success')).not.toBeNull();
    expect(province.querySelector('.latency')?.textContent).toContain('35 ms');
    expect(province.querySelector('.checked')?.textContent?.trim()).toMatch(/^1[0-9] 秒前检查$/);
    expect(texts('.site-roles nz-tag', province)).toEqual(['生产中心', '同城灾备', '双活']);
    expect(province.querySelector('.last-sync')?.textContent).toContain('1234 个对象');

    const ganzhou = row(el, 'jx-xc-ganzhou');
    expect(ganzhou.querySelector('.health-badge')?.textContent).toContain('降级');
    expect(ganzhou.querySelector('.ant-badge-status-warning')).not.toBeNull();
    expect(ganzhou.querySelector('.checked')?.textContent?.trim()).toBe('2 分钟前检查');
    expect(ganzhou.querySelector('td.circuit')?.textContent).toContain('半开');
    expect(ganzhou.querySelector('.last-sync')?.textContent).toContain('尚未同步');
  });

  it('shows capacity per architecture and vendor as utilisation bars', async () => {
    const { el } = await render();

    const province = row(el, 'jx-province');
    expect(texts('.cap-arch', province)).toEqual(['x86_64 Intel', 'arm64 鲲鹏']);
    const x86 = province.querySelector('[data-arch="x86_64/intel"]')!;
    expect(texts('.cap-num', x86)).toEqual(['250/1000 (25%)', '1T/4T (25%)']);
    const kunpengVcpu = province.querySelector('[data-arch="arm64/kunpeng"] [data-class="vcpu"]')!;
    expect(kunpengVcpu.querySelector('.cap-num')?.textContent).toContain('750/1000 (75%)');
    expect((kunpengVcpu.querySelector('.ant-progress-bg') as HTMLElement).style.width).toBe('75%');

    const loongson = row(el, 'jx-xc-ganzhou').querySelector('[data-arch="loongarch64/loongson"]')!;
    expect(loongson.querySelector('.cap-arch')?.textContent).toBe('loongarch64 龙芯');
    // 95% is shown as a warning bar.
    expect(loongson.querySelector('.ant-progress-status-exception')).not.toBeNull();
    expect(el.querySelector('.vcpu-chart')).not.toBeNull();
  });

  it('filters by kind and by region on the server', async () => {
    const { fixture, el } = await render();

    clouds.list.query.and.resolveTo({ items: [sampleCloud({ id: 'jx-xc-ganzhou', kind: 'xinchuang', region: '3607', regionName: '赣州市' })] });
    await chooseOption(fixture, el.querySelector('nz-select.filter-kind'), '信创');
    expect(clouds.list.query).toHaveBeenCalledWith({ kind: 'xinchuang' });
    expect(texts('td.kind nz-tag', el)).toEqual(['信创']);

    // The region filter keeps the regions seen before filtering.
    await chooseOption(fixture, el.querySelector('nz-select.filter-region'), '南昌市');
    expect(clouds.list.query).toHaveBeenCalledWith({ region: '3601', kind: 'xinchuang' });
  });

  it('names clouds in English when the language is English', async () => {
    const { fixture, el } = await render();

    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);

    expect(texts('td.name a', el)).toEqual(['Jiangxi Provincial Government Cloud', 'Ganzhou Xinchuang Cloud']);
    expect(texts('td.kind nz-tag', el)).toEqual(['General', 'Xinchuang']);
    expect(texts('.cap-arch', row(el, 'jx-province'))).toEqual(['x86_64 Intel', 'arm64 Kunpeng']);
  });
});
