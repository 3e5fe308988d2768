import { ActivatedRoute, convertToParamMap } from '@angular/router';
import { chooseSystem, press, setUpConsoleSpec, texts, type FakeApi, renderComponent } from '../../testing/test-helpers';
import { AccessCheckComponent } from './access-check.component';
import { NetworkApiService } from './network-api.service';
import { FakeNetworkApi, createFakeNetworkApi, sampleAccess } from '../../testing/network-fakes';

describe('AccessCheckComponent', () => {
  let api: FakeNetworkApi;
  let client: FakeApi;
  beforeEach(() => {
    api = createFakeNetworkApi();
    client = setUpConsoleSpec({
      imports: [AccessCheckComponent],
      providers: [
        { provide: NetworkApiService, useValue: api },
        { provide: ActivatedRoute, useValue: { snapshot: { queryParamMap: convertToParamMap({ unit: '360102001201' }) } } },
      ],
    });
    client.systems.list.query.and.resolveTo({ items: [{ id: 's-1', name: '社保卡系统', departmentName: '人社厅' }], nextCursor: null } as never);
    api.searchUnits.and.resolveTo({ items: [{ code: '360102001201', name: '东山村', level: 'village' } as never] });
    api.check.and.resolveTo(sampleAccess());
    api.checkHistory.and.resolveTo({ items: [{ id: 'c-1', unitCode: '360102001201', systemId: 's-1', planeId: 'plane-1', family: 'ipv6', source: 'inventory', ok: false, reason: 'vrf-not-imported', target: null, rttMs: null, lossPercent: null, at: '2026-03-01T02:03:04.000Z' }] });
  });

  it('checks a unit against a system and shows the path hop by hop with the blocking reason, the live answer and the history', async () => {
    const { fixture, el } = await renderComponent(AccessCheckComponent);
    // Every field has a label (axe-core: label), the system is chosen through the shared picker.
    for (const id of ['ac-unit', 'ac-system']) {
      expect(el.querySelector(`label[for="${id}"]`)).withContext(id).not.toBeNull();
      expect(el.querySelector(`#${id}`)).withContext(id).not.toBeNull();
    }
    expect((el.querySelector('button.run-check') as HTMLButtonElement).disabled).toBeTrue();
    await chooseSystem(fixture, el.querySelector('app-system-picker.system-select'), '社保卡系统');
    expect(client.systems.list.query).toHaveBeenCalledWith({ limit: 20, search: '社保卡系统' });
    expect((el.querySelector('button.run-check') as HTMLButtonElement).disabled).toBeFalse();
    await press(fixture, el.querySelector('button.run-check'));
    expect(api.check).toHaveBeenCalledOnceWith({ unitCode: '360102001201', systemId: 's-1', planeId: 'plane-1', family: 'ipv6', live: false });
    expect(el.querySelector('.verdict.blocked')?.textContent).toContain('不可达：VRF 路由未引入');
    expect(Array.from(el.querySelectorAll('.hop')).map((h) => `${h.getAttribute('data-kind')}:${h.getAttribute('data-status')}`))
      .toEqual(['unit:ok', 'link:ok', 'vrf:blocked', 'system:unknown']);
    expect(texts('.hop-reason', el)).toEqual(['VRF 路由未引入']);
    // The hop's specifics in the reader's language (the server sends both), and the history's reason in words.
    expect(el.querySelector('.hop[data-kind="vrf"]')?.textContent).toContain('DEPT-X 未引入 EXT 的任何导出路由目标');
    expect(el.querySelector('.hop[data-kind="vrf"]')?.textContent).not.toContain('imports none');
    expect(el.querySelector('.history-table tbody tr')?.textContent).toContain('VRF 路由未引入');
    expect(el.querySelector('.live-result')?.textContent).toContain('PE-3601-P1 背后没有经 SSH 管理的设备');
    expect(api.checkHistory).toHaveBeenCalledWith('360102001201', 's-1');
    expect(el.querySelectorAll('.history-table tbody tr').length).toBe(1);
    expect(el.querySelector('.trend')).not.toBeNull();
    const trend = (fixture.componentInstance as unknown as { trend(): { series: { data: unknown[] }[] } }).trend();
    expect(trend.series.map((s) => s.data)).toEqual([[], [['2026-03-01T02:03:04.000Z', 0]]]);
  });

  it('shows a reachable verdict and a live probe that ran', async () => {
    api.check.and.resolveTo(sampleAccess({
      ok: true, reason: null, reasons: [], path: [{ kind: 'unit', name: 'x', status: 'ok' }],
      live: { status: 'ran', probe: { id: 'p', cloudId: 'pe', target: '172.16.0.1', family: 4, vpnInstance: 'EXT', count: 3, outcome: 'reachable', transmitted: 3, received: 3, lossPercent: 0, rttMs: { min: 1, avg: 2, max: 3 }, errorCode: null, error: null, requestedBy: 'neteng', startedAt: '', finishedAt: '' } },
    }));
    const { fixture } = await renderComponent(AccessCheckComponent);
    await chooseSystem(fixture, (fixture.nativeElement as HTMLElement).querySelector('app-system-picker.system-select'), '社保卡系统');
    await press(fixture, (fixture.nativeElement as HTMLElement).querySelector('button.run-check'));
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('.verdict.ok')).not.toBeNull();
    expect(el.querySelector('.live-result')?.textContent).toContain('实时探测：可达 · 172.16.0.1 (vpn-instance EXT)');
    expect(el.querySelector('.live-result')?.textContent).toContain('发送 3，收到 3，丢包 0% · 2 ms');
  });
});
