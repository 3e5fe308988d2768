import { apiError, settle, texts, renderComponent, signIn } from '../../testing/test-helpers';
import { FakeNetworkApi, sampleUnit, setUpNetworkSpec } from '../../testing/network-fakes';
import { UnitDetailComponent } from './unit-detail.component';

describe('UnitDetailComponent', () => {
  let api: FakeNetworkApi;
  beforeEach(() => {
    api = setUpNetworkSpec([UnitDetailComponent]);
    api.unit.and.resolveTo(sampleUnit());
  });

  const render = (code: string) => renderComponent(UnitDetailComponent, { inputs: { code } });

  it('shows where the unit sits, its links, addresses and the plane × family readiness matrix', async () => {
    const { el } = await render('360102001201');
    expect(api.unit).toHaveBeenCalledOnceWith('360102001201');
    expect(texts('.ancestry a', el)).toEqual(['江西省', '南昌市', '东山村']);
    const link = el.querySelector('tr[data-circuit="P1-V1"]')!;
    expect(link.textContent).toContain('PE-3601-P1 ← AGG-360102-P1');
    expect(link.querySelector('.state')?.textContent?.trim()).toBe('正常');
    expect(texts('.addresses-table td.cidr', el)).toEqual(['10.0.1.0/29']);
    const v6 = el.querySelector('[data-cell="plane-1/ipv6"]')!;
    expect(Array.from(v6.querySelectorAll('nz-tag')).map((t) => t.classList.contains('ant-tag-green'))).toEqual([true, false, false]);
    expect(el.querySelector('[data-cell="plane-1/ipv4"] .ant-tag-red')).toBeNull();
  });

  it('says so when the unit does not exist', async () => {
    api.unit.and.rejectWith(apiError('NOT_FOUND', { code: 'notFound' }));
    const { el } = await render('369999');
    expect(el.querySelector('.error-alert')?.textContent).toContain('对象不存在');
    expect(el.querySelector('.unit-title')).toBeNull();
  });

  it('lets a network engineer take a link down, then shows the unit as the server now has it; an auditor only sees the state', async () => {
    signIn({ roles: ['network-engineer'] });
    api.setLinkState.and.resolveTo(undefined as never);
    const { fixture, el } = await render('360102001201');
    const down = sampleUnit();
    down.links[0]!.state = 'down';
    api.unit.and.resolveTo(down);
    await (fixture.componentInstance as unknown as { setLinkState(id: string, s: string): Promise<void> }).setLinkState('l-1', 'down');
    await settle(fixture);
    expect(api.setLinkState).toHaveBeenCalledOnceWith('l-1', 'down');
    expect(api.unit).toHaveBeenCalledTimes(2);
    expect(el.querySelector('tr[data-circuit="P1-V1"] .link-state')?.textContent).toContain('中断');

    signIn({ roles: ['auditor'] });
    await settle(fixture);
    expect(el.querySelector('.link-state')).toBeNull();
    expect(el.querySelector('tr[data-circuit="P1-V1"] .state nz-tag')?.textContent?.trim()).toBe('中断');
  });
});
