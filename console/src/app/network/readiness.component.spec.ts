import { texts, renderComponent } from '../../testing/test-helpers';
import { FakeNetworkApi, setUpNetworkSpec } from '../../testing/network-fakes';
import { ReadinessComponent } from './readiness.component';

describe('ReadinessComponent (dashboard)', () => {
  let api: FakeNetworkApi;
  beforeEach(() => {
    api = setUpNetworkSpec([ReadinessComponent]);
    api.history.and.resolveTo({ items: [
      { day: '2026-02-28', units: 200, dualPlane: 100, singleHomed: 60, ipv6Ready: 40, source: 'demo' },
      { day: '2026-03-01', units: 200, dualPlane: 120, singleHomed: 50, ipv6Ready: 60, source: 'daily' },
    ] });
  });

  it('shows the province figures as shares, the charts, the readiness matrix and marks demo days', async () => {
    const { fixture, el } = await renderComponent(ReadinessComponent);
    expect(api.history).toHaveBeenCalledOnceWith('36');
    expect(el.querySelector('.kpi-dual')?.textContent).toContain('60');
    expect(el.querySelector('.kpi-none')?.textContent).toContain('15');
    expect(el.querySelector('.kpi-v6')?.textContent).toContain('30');
    for (const chart of ['.city-chart', '.level-chart', '.history-chart']) expect(el.querySelector(chart)).not.toBeNull();
    expect(texts('.cells-table td.ready', el)).toEqual(['90 (45%)']);
    expect(el.querySelector('.demo-days')).not.toBeNull();
    const options = (fixture.componentInstance as unknown as { historyChart(): { series: { data: number[] }[] } }).historyChart();
    expect(options.series[0]!.data).toEqual([50, 60]);
  });

  it('switches the trend to one city', async () => {
    const { fixture } = await renderComponent(ReadinessComponent);
    await (fixture.componentInstance as unknown as { chooseScope(s: string): Promise<void> }).chooseScope('3601');
    expect(api.history.calls.mostRecent().args).toEqual(['3601']);
  });
});
