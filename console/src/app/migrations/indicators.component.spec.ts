import { apiError, press, texts, type FakeApi, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { IndicatorsComponent } from './indicators.component';

const ROWS = [
  { scope: 'province' as const, code: '36', name: '江西省', systems: 6, onCloud: 4, onXinchuang: 2, onCloudShare: 4 / 6, xinchuangShare: 2 / 6 },
  { scope: 'city' as const, code: '36', name: '江西省（省直）', systems: 4, onCloud: 3, onXinchuang: 1, onCloudShare: 0.75, xinchuangShare: 0.25 },
  { scope: 'city' as const, code: '3604', name: '九江市', systems: 2, onCloud: 1, onXinchuang: 1, onCloudShare: 0.5, xinchuangShare: 0.5 },
  { scope: 'department' as const, code: 'd-tax', name: '江西省税务局', systems: 4, onCloud: 3, onXinchuang: 1, onCloudShare: 0.75, xinchuangShare: 0.25 },
];

describe('IndicatorsComponent (province progress)', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [IndicatorsComponent] });
    api.migrations.indicators.current.query.and.resolveTo({ day: '2026-12-06', items: ROWS });
    api.migrations.indicators.history.query.and.resolveTo({ items: [{ ...ROWS[0]!, day: '2026-12-05' }, { ...ROWS[0]!, day: '2026-12-06' }] });
  });

  const render = (canOperate: boolean) => renderComponent(IndicatorsComponent, { inputs: { canOperate } });

  it('shows the shares per scope, the trend and the breakdowns as labelled charts, and the previous month for the report', async () => {
    const { el } = await render(false);
    expect(texts('tr[data-scope] .name', el)).toEqual(['江西省', '江西省（省直）', '九江市', '江西省税务局']);
    expect(texts('tr[data-code="3604"] .on-cloud', el)).toEqual(['50%']);
    expect(texts('tr[data-scope="province"] .on-cloud', el)).toEqual(['66.7%']);
    expect(el.querySelector('.trend-chart')!.getAttribute('aria-label')).toContain('全省上云率与信创率');
    expect(el.querySelector('.city-chart')).not.toBeNull();
    expect(el.querySelector('.department-chart')).not.toBeNull();
    expect(api.migrations.indicators.history.query).toHaveBeenCalledWith({ from: '2026-06-09', to: '2026-12-06' });
    expect((el.querySelector('input.month') as HTMLInputElement).value).toBe('2026-11');
    expect(el.querySelector('button.snapshot')).toBeNull();
  });

  it('lets an operator take today\'s snapshot and says when a month has nothing to export', async () => {
    api.migrations.indicators.snapshot.mutate.and.resolveTo({ day: '2026-12-06', rows: 4 });
    api.migrations.indicators.exportCsv.query.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected' }));
    const { fixture, el } = await render(true);
    await press(fixture, el.querySelector('button.snapshot'));
    expect(texts('.notice', el)).toEqual(['已生成 2026-12-06 的快照']);
    await press(fixture, el.querySelector('button.export'));
    expect(api.migrations.indicators.exportCsv.query).toHaveBeenCalledWith({ month: '2026-11' });
    expect(el.querySelector('app-error-alert')!.textContent).toContain('输入的值不被接受');
  });
});
