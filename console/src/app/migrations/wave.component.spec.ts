import type { Role } from '../core/api-types';
import { apiError, press, settle, texts, typeInto, type FakeApi, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { waveDetail } from './migration-fakes.spec';
import { WaveComponent } from './wave.component';

describe('WaveComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [WaveComponent] });
    api.migrations.waves.get.query.and.resolveTo(waveDetail({
      prechecks: [{ candidateId: 'c-1', systemName: '金税三期', reservationId: 'r-1', verdicts: [{ check: 'quota', ok: true, zh: '目标配额已预留（r-1）', en: 'target quota held (r-1)' }] }],
    }));
  });

  const render = (roles: Role[]) => renderComponent(WaveComponent, { me: { roles, departmentId: roles.includes('admin') ? null : 'd-tax' }, inputs: { id: 'w-1' } });

  it("shows each system's steps and progress and the stored prechecks", async () => {
    const { fixture, el } = await render(['department-user']);
    expect(api.migrations.waves.get.query).toHaveBeenCalledWith({ id: 'w-1' });
    expect(el.querySelector('h2')?.textContent).toContain('第 1 窗口（2027-01-04 周）');
    expect(Array.from(el.querySelectorAll('[data-system="c-1"] tr[data-step]')).map((tr) => texts('td', tr).join('|'))).toEqual(['准备目标|成功|1|', '复制数据|执行中|2|link slow']);
    expect(el.querySelector('[data-system="c-1"] nz-progress')).not.toBeNull();
    expect(texts('app-mig-precheck-list .reason', el)).toEqual(['目标配额已预留（r-1）']);
    // A department user is offered no rollback.
    expect(el.querySelector('.rollback-form, .confirm-form')).toBeNull();
    fixture.destroy(); // stops the refresh of a running wave
  });

  it('lets a department confirm its system\'s window of a planned wave or ask to move it with a note', async () => {
    api.migrations.waves.get.query.and.resolveTo(waveDetail({ status: 'planned', workflowId: null, progress: { workflow: null, systems: [] } }));
    api.migrations.waves.confirm.mutate.and.resolveTo({ waveId: 'w-1', candidateId: 'c-1', departmentId: 'd-tax', systemName: '金税三期', placement: null, confirmation: 'confirmed', note: null });
    const { fixture, el } = await render(['department-admin']);
    expect(el.querySelector('.rollback-form')).toBeNull();
    await press(fixture, el.querySelector('[data-system="c-1"] button.confirm'));
    expect(api.migrations.waves.confirm.mutate).toHaveBeenCalledWith({ waveId: 'w-1', candidateId: 'c-1', answer: 'confirmed', note: null });
    expect(el.querySelector('label[for="mig-note-c-1"]')).not.toBeNull();
    typeInto(el.querySelector('#mig-note-c-1'), '第 3 窗口');
    await settle(fixture);
    await press(fixture, el.querySelector('[data-system="c-1"] button.ask-move'));
    expect(api.migrations.waves.confirm.mutate).toHaveBeenCalledWith({ waveId: 'w-1', candidateId: 'c-1', answer: 'move-requested', note: '第 3 窗口' });
  });

  it('lets an operator roll a running wave back with a reason, and shows a refusal', async () => {
    api.migrations.waves.rollback.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict' }));
    const { fixture, el } = await render(['cloud-operator']);
    const button = el.querySelector<HTMLButtonElement>('button.rollback')!;
    expect(el.querySelector('label[for="mig-rollback-reason"]')?.textContent).toContain('回滚原因');
    expect(button.disabled).toBeTrue();
    typeInto(el.querySelector('#mig-rollback-reason'), '  割接后业务异常  ');
    await settle(fixture);
    await press(fixture, button);
    expect(api.migrations.waves.rollback.mutate).toHaveBeenCalledWith({ id: 'w-1', reason: '割接后业务异常' });
    expect(el.querySelector('app-error-alert .error-message')?.textContent).toContain('与现有数据冲突');
    fixture.destroy();
  });
});
