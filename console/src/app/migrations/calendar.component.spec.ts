import { apiError, press, settle, texts, typeInto, type FakeApi, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { CalendarComponent } from './calendar.component';

describe('CalendarComponent (blackouts)', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [CalendarComponent] });
    api.migrations.calendar.blackouts.query.and.resolveTo({
      items: [
        { id: 'b-1', from: '2026-10-01', to: '2026-10-07', reason: '法定节假日：国庆节 / Statutory holiday: National Day', departmentIds: null, source: 'statutory' },
        { id: 'b-2', from: '2027-03-03', to: '2027-03-15', reason: '全国两会保障', departmentIds: ['d-1', 'd-2'], source: 'operator' },
      ],
      notices: [
        { year: 2026, title: '国务院办公厅关于2026年部分节假日安排的通知', issued: '2025-11-04', sources: [] },
        { year: 2027, title: null, issued: null, sources: [] },
      ],
      importedYears: [],
    });
  });

  const render = (canOperate: boolean) => renderComponent(CalendarComponent, { inputs: { canOperate } });

  it('lists the blackouts and the shipped notices; a department is offered no change', async () => {
    const { el } = await render(false);
    expect(texts('tr[data-blackout] .applies', el)).toEqual(['全部部门', '2 个部门']);
    expect(el.querySelector('[data-year="2027"] .unpublished')).not.toBeNull();
    expect(el.querySelector('.blackout-form, button.import, button.remove')).toBeNull();
  });

  it('lets an operator import a year, add a blackout with labelled fields and see a refusal', async () => {
    api.migrations.calendar.importStatutory.mutate.and.resolveTo({ year: 2026, added: 7, notice: '国务院办公厅关于2026年部分节假日安排的通知' });
    api.migrations.calendar.addBlackout.mutate.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected', path: ['to'] }));
    const { fixture, el } = await render(true);
    expect(el.querySelector('[data-year="2027"] button.import')).toBeNull();
    await press(fixture, el.querySelector('[data-year="2026"] button.import'));
    expect(api.migrations.calendar.importStatutory.mutate).toHaveBeenCalledWith({ year: 2026 });
    expect(el.querySelector('.notice')?.textContent).toContain('7');

    for (const id of ['mig-blackout-from', 'mig-blackout-to', 'mig-blackout-reason']) expect(el.querySelector(`label[for="${id}"]`)).withContext(id).not.toBeNull();
    typeInto(el.querySelector('#mig-blackout-from'), '2027-03-03');
    typeInto(el.querySelector('#mig-blackout-to'), '2027-03-01');
    typeInto(el.querySelector('#mig-blackout-reason'), ' 两会 ');
    await settle(fixture);
    await press(fixture, el.querySelector('button.add'));
    expect(api.migrations.calendar.addBlackout.mutate).toHaveBeenCalledWith({ from: '2027-03-03', to: '2027-03-01', reason: '两会', departmentIds: null });
    expect(el.querySelector('app-error-alert .error-message')?.textContent).toContain('输入的值不被接受');
  });
});
