import { settle, texts, renderComponent, signIn } from '../../testing/test-helpers';
import { FakeNetworkApi, setUpNetworkSpec } from '../../testing/network-fakes';
import { RisksComponent } from './risks.component';

const ref = (code: string, name: string) => ({ code, name, level: 'village' as const, cityCode: '3601', cityName: '南昌市' });

describe('RisksComponent', () => {
  let api: FakeNetworkApi;
  beforeEach(() => {
    api = setUpNetworkSpec([RisksComponent]);
    api.singleHomed.and.resolveTo({ items: [{ ...ref('V1', '东山村'), planeId: 'plane-1', links: 1 }], nextCursor: 'V1' });
    api.sharedRisk.and.resolveTo({ items: [{ ...ref('V2', '西坑村'), planes: ['plane-1', 'plane-2'], circuits: ['P1-V2', 'P2-V2'], risks: [{ kind: 'carrier', value: '中国电信' }, { kind: 'duct', value: 'D-9' }] }], nextCursor: null });
    api.whatIf.and.resolveTo({ failedLinks: 4, lostAll: 2, lostBothPlanes: 1, lostRedundancy: 3, lostIpv6: 1, affected: [{ ...ref('V2', '西坑村'), impact: 'lost-all', planesBefore: 2, planesAfter: 0 }] });
    signIn({ roles: ['network-engineer'] });
  });

  it('lists single-homed units (with more to load) and shared risks by kind', async () => {
    const { fixture, el } = await renderComponent(RisksComponent);
    expect(el.querySelector('.single-table tr[data-code="V1"]')?.textContent).toContain('plane-1');
    expect(el.querySelector('button.more-single')).not.toBeNull();
    const c = fixture.componentInstance as unknown as { loadSingle(more: boolean): Promise<void>; kindCtl: { setValue(k: string): void } };
    await c.loadSingle(true);
    expect(api.singleHomed.calls.mostRecent().args).toEqual([{ limit: 100, after: 'V1' }]);
    c.kindCtl.setValue('duct');
    await settle(fixture);
    expect(api.sharedRisk.calls.mostRecent().args).toEqual([{ limit: 100, kind: 'duct' }]);
    expect(el.querySelector('label[for="risks-city-filter"]')).not.toBeNull();
  });

  it('runs a what-if and shows who loses both planes', async () => {
    const { fixture } = await renderComponent(RisksComponent);
    const c = fixture.componentInstance as unknown as { whatIf: { controls: { carriers: { setValue(v: string[]): void } } }; runWhatIf(): Promise<void> };
    c.whatIf.controls.carriers.setValue(['中国电信']);
    await c.runWhatIf();
    await settle(fixture);
    expect(api.whatIf).toHaveBeenCalledOnceWith({ deviceIds: [], carriers: ['中国电信'], ducts: [], limit: 200 });
    const el = fixture.nativeElement as HTMLElement;
    // The what-if tab is not the one shown; its content is rendered once chosen — read the state instead.
    expect((fixture.componentInstance as unknown as { impact(): { lostBothPlanes: number } }).impact().lostBothPlanes).toBe(1);
    expect(texts('.network-nav a', el).length).toBe(6);
  });

  it('asks the server for the devices whose names contain what was typed, keeping those already chosen', async () => {
    const device = (id: string, name: string, role: 'pe' | 'ce' = 'pe') => ({ id, name, role, planeId: 'plane-1', vendor: 'huawei', model: 'NE40E', mgmtAddress: null, unitCode: null, cloudId: null, state: 'up' as const });
    api.devices.and.resolveTo({ items: [device('d1', 'PE-NC-1')], nextCursor: null });
    const { fixture } = await renderComponent(RisksComponent);
    const c = fixture.componentInstance as unknown as { whatIf: { controls: { devices: { setValue(v: string[]): void } } }; devices(): { id: string }[]; searchDevices(q: string): Promise<void> };
    c.whatIf.controls.devices.setValue(['d1']);
    api.devices.and.resolveTo({ items: [device('d2', 'PE-JJ-1'), device('d3', 'CE-JJ-1', 'ce')], nextCursor: 'more' });
    await c.searchDevices(' JJ ');
    expect(api.devices.calls.mostRecent().args).toEqual(['JJ']);
    expect(c.devices().map((d) => d.id)).toEqual(['d1', 'd2']);
  });
});
