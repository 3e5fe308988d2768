import type { ComponentFixture } from '@angular/core/testing';
import type { Role } from '../core/api-types';
import { type FakeApi, chooseOption, click, sampleCloudDetail, settle, texts, typeInto, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { CloudDetailComponent } from './cloud-detail.component';

describe('CloudDetailComponent', () => {
  let clouds: FakeApi['clouds'];

  beforeEach(() => {
    const api = setUpConsoleSpec({ imports: [CloudDetailComponent] });
    clouds = api.clouds;
    clouds.get.query.and.resolveTo(sampleCloudDetail());
    clouds.inventory.query.and.resolveTo({
      items: [
        { key: 'vm/1', kind: 'vm', tenant: 'ts-shebao', name: 'shebao-app-01', arch: 'x86_64', status: 'running', lastSeenAt: '2026-03-01T02:03:04.000Z', deletedAt: null, orphanedBy: null },
      ],
      nextCursor: 'c-50',
    });
  });

  const render = (roles: Role[] = ['cloud-operator']) => renderComponent(CloudDetailComponent, { me: { roles }, inputs: { id: 'jx-province' } });

  async function openTab(fixture: ComponentFixture<unknown>, el: HTMLElement, title: string) {
    const tab = Array.from(el.querySelectorAll('.ant-tabs-tab-btn')).find((t) => (t.textContent ?? '').includes(title));
    if (!tab) throw new Error(`tab "${title}" not found`);
    click(tab);
    await settle(fixture);
  }

  const tabTitles = (el: HTMLElement) => texts('.ant-tabs-tab-btn', el);

  it('shows the cloud facts and pages through the inventory with filters', async () => {
    const { fixture, el } = await render();

    expect(clouds.get.query).toHaveBeenCalledOnceWith({ id: 'jx-province' });
    expect(el.querySelector('.cloud-title')?.textContent).toContain('江西省政务云');
    expect(el.querySelector('.facts')?.textContent).toContain('南昌市');
    expect(el.querySelector('.facts .health-badge')?.textContent).toContain('正常');
    expect(clouds.inventory.query).toHaveBeenCalledOnceWith({ id: 'jx-province', limit: 50 });
    expect(texts('td.inv-name', el)[0]).toContain('shebao-app-01');

    await chooseOption(fixture, el.querySelector('nz-select.inv-kind'), '云硬盘');
    expect(clouds.inventory.query).toHaveBeenCalledWith({ id: 'jx-province', kind: 'volume', limit: 50 });

    typeInto(el.querySelector('input.inv-search'), ' shebao ');
    click(el.querySelector('button.inv-go'));
    await settle(fixture);
    expect(clouds.inventory.query).toHaveBeenCalledWith({ id: 'jx-province', kind: 'volume', search: 'shebao', limit: 50 });

    clouds.inventory.query.and.resolveTo({ items: [], nextCursor: null });
    click(el.querySelector('button.inv-more'));
    await settle(fixture);
    expect(clouds.inventory.query).toHaveBeenCalledWith({ id: 'jx-province', kind: 'volume', search: 'shebao', limit: 50, cursor: 'c-50' });
    expect(el.querySelector('button.inv-more')).toBeNull();
  });

  it('lists drift and sync history, and starts a full sync for an operator', async () => {
    clouds.get.query.and.resolveTo(
      sampleCloudDetail({
        drift: [{ key: 'vm/2', kind: 'vm', name: 'db-01', field: 'vcpus', expected: 8, observed: 16 }],
      }),
    );
    const { fixture, el } = await render();

    expect(tabTitles(el)).toContain('配置漂移 (1)');
    await openTab(fixture, el, '配置漂移');
    expect(el.querySelector('.drift-table')?.textContent).toContain('db-01');
    expect(el.querySelector('.drift-table')?.textContent).toContain('16');

    await openTab(fixture, el, '同步记录');
    expect(el.querySelector('tr[data-sync="s-1"]')?.textContent).toContain('+3 / ~2 / −1');

    click(el.querySelector('button.sync-full'));
    await settle(fixture);
    expect(clouds.sync.mutate).toHaveBeenCalledOnceWith({ id: 'jx-province', mode: 'full' });
    expect(clouds.get.query).toHaveBeenCalledTimes(2); // reloaded after the sync started
  });

  it('sends the faults the operator set on a simulated cloud', async () => {
    const { fixture, el } = await render();

    expect(tabTitles(el)).toContain('故障注入');
    await openTab(fixture, el, '故障注入');
    click(el.querySelector('nz-switch.fault-down button'));
    typeInto(el.querySelector('input.fault-latency'), '1500');
    typeInto(el.querySelector('input.fault-error-rate'), '20');
    typeInto(el.querySelector('input.fault-throttle-rate'), '5');
    typeInto(el.querySelector('input.fault-fail-page'), '3');
    await settle(fixture);
    click(el.querySelector('button.apply-faults'));
    await settle(fixture);

    // Rates as shares, the failing page as the simulator takes it, faults left off not sent.
    expect(clouds.setFaults.mutate).toHaveBeenCalledOnceWith({ id: 'jx-province', faults: {
      down: true,
      latencyMs: 1500,
      errorRate: 0.2,
      throttleRate: 0.05,
      failPage: { page: 3 },
    } });
    expect(clouds.get.query).toHaveBeenCalledTimes(2); // reloaded to show the faults in force
  });

  it('keeps faults being edited when the live refresh re-reads the cloud, and labels every fault field', async () => {
    clouds.get.query.and.resolveTo(sampleCloudDetail({ faults: { latencyMs: 800 } }));
    const { fixture, el } = await render(['admin']);
    await openTab(fixture, el, '故障注入');
    for (const id of ['fault-down', 'fault-latency', 'fault-error-rate', 'fault-throttle-rate', 'fault-garbage-rate', 'fault-fail-page']) {
      expect(el.querySelector(`label[for="${id}"]`)?.textContent?.trim()).withContext(id).toBeTruthy();
    }
    typeInto(el.querySelector('input.fault-latency'), '1500');
    clouds.get.query.and.resolveTo(sampleCloudDetail({ faults: { latencyMs: 900 }, name: '江西省政务云（新）' }));
    // What the live refresh runs every ten seconds (core/live-refresh.spec.ts covers the timer itself).
    await fixture.componentInstance.load(true);
    await settle(fixture);
    expect(el.querySelector('.cloud-title')?.textContent).toContain('江西省政务云（新）');
    expect((el.querySelector('input.fault-latency') as HTMLInputElement).value).toBe('1500');
  });

  it('shows the faults in force and heals the cloud with an empty set', async () => {
    clouds.get.query.and.resolveTo(sampleCloudDetail({ faults: { latencyMs: 800, garbageRate: 0.1, failPage: { page: 2 } } }));
    const { fixture, el } = await render(['admin']);

    await openTab(fixture, el, '故障注入');
    expect((el.querySelector('input.fault-latency') as HTMLInputElement).value).toBe('800');
    expect((el.querySelector('input.fault-garbage-rate') as HTMLInputElement).value).toBe('10');
    expect((el.querySelector('input.fault-fail-page') as HTMLInputElement).value).toBe('2');
    expect(el.querySelector('nz-switch.fault-down .ant-switch-checked')).toBeNull();

    click(el.querySelector('button.clear-faults'));
    await settle(fixture);
    expect(clouds.setFaults.mutate).toHaveBeenCalledOnceWith({ id: 'jx-province', faults: {} });
  });

  it('offers no faults panel for a cloud that is not simulated', async () => {
    // A remote cloud that is not a sim server: the server reports no faults (null).
    clouds.get.query.and.resolveTo(sampleCloudDetail({ providerKind: 'remote', endpoint: 'https://cloud.example.gov.cn', faults: null }));
    const { el } = await render(['admin']);

    expect(tabTitles(el)).not.toContain('故障注入');
    expect(el.querySelector('.faults-panel')).toBeNull();
    expect(el.querySelector('.simulated-tag')).toBeNull();
    expect(el.querySelector('button.sync-full')).not.toBeNull();
  });

  it('offers neither faults nor syncs to users who are not operators', async () => {
    const { el } = await render(['department-user', 'auditor']);

    expect(el.querySelector('.cloud-title')).not.toBeNull();
    expect(tabTitles(el)).not.toContain('故障注入');
    expect(el.querySelector('.faults-panel')).toBeNull();
    expect(el.querySelector('button.sync-full')).toBeNull();
    expect(el.querySelector('button.sync-incremental')).toBeNull();
    expect(el.querySelector('button.check-health')).toBeNull();
  });
});
