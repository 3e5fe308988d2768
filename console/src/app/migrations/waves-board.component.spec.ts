import { TestBed } from '@angular/core/testing';
import { I18nService } from '../core/i18n/i18n.service';
import { apiError, press, settle, texts, type FakeApi, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { wave } from './migration-fakes.spec';
import { WavesBoardComponent, boardColumns } from './waves-board.component';

describe('WavesBoardComponent', () => {
  let api: FakeApi;
  const WAVES = [
    wave(),
    wave({ id: 'w-2', windowIndex: 1, weekStart: '2027-01-11', status: 'prechecked', systems: [] }),
    wave({ id: 'w-3', windowIndex: 2, weekStart: '2027-01-18', status: 'running', systems: [] }),
    wave({ id: 'w-4', windowIndex: 3, weekStart: '2027-01-25', status: 'failed', systems: [] }),
  ];

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [WavesBoardComponent] });
    api.migrations.waves.list.query.and.resolveTo({ items: WAVES });
  });

  const render = (canOperate: boolean) => renderComponent(WavesBoardComponent, { inputs: { planId: 'p-1', canOperate } });

  it('puts each wave in its column (a failed wave with the rolled-back ones)', () => {
    expect(boardColumns(WAVES).map((c) => [c.key, c.waves.map((w) => w.id)])).toEqual([
      ['planned', ['w-1']], ['prechecked', ['w-2']], ['running', ['w-3']], ['verified', []], ['rolled-back', ['w-4']],
    ]);
  });

  it('shows the five columns with each wave and its systems', async () => {
    const { el } = await render(false);
    expect(api.migrations.waves.list.query).toHaveBeenCalledWith({ planId: 'p-1' });
    expect(texts('.column h3', el).map((t) => t.replace(/\s+/g, ' '))).toEqual(['已计划 (1)', '已预检 (1)', '进行中 (1)', '已验证 (0)', '已回滚 (1)']);
    expect(texts('[data-column="planned"] .systems li', el)[0]).toContain('金税三期');
    expect(el.querySelector('[data-column="planned"] .wave-title a')?.getAttribute('href')).toBe('/migrations/waves/w-1');
    // Not an operator: no action offered.
    expect(el.querySelector('.precheck, .start, .rollback')).toBeNull();
  });

  it('prechecks a wave and shows each check with its reason, then starts a prechecked wave', async () => {
    api.migrations.waves.precheck.mutate.and.resolveTo({
      passed: false,
      systems: [{
        candidateId: 'c-1', systemName: '金税三期', reservationId: null,
        verdicts: [
          { check: 'quota', ok: false, zh: '目标配额不足：vcpu 缺 8', en: 'target quota short: vcpu 8' },
          { check: 'compatibility', ok: true, zh: '目标提供 arm64', en: 'the target offers arm64' },
        ],
      }],
    });
    api.migrations.waves.start.mutate.and.resolveTo({ workflowId: 'wf-1', steps: 7 });
    const { fixture, el } = await render(true);
    await press(fixture, el.querySelector('[data-wave="w-1"] button.precheck'));
    expect(api.migrations.waves.precheck.mutate).toHaveBeenCalledWith({ id: 'w-1' });
    expect(texts('[data-wave="w-1"] .verdict .reason', el)).toEqual(['目标配额不足：vcpu 缺 8', '目标提供 arm64']);
    expect(el.querySelector('[data-wave="w-1"] .precheck-result')?.textContent).toContain('预检未通过');
    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(texts('[data-wave="w-1"] .verdict.failed .reason', el)).toEqual(['target quota short: vcpu 8']);

    expect(el.querySelector('[data-wave="w-1"] button.start')).toBeNull();
    await press(fixture, el.querySelector('[data-wave="w-2"] button.start'));
    expect(api.migrations.waves.start.mutate).toHaveBeenCalledWith({ id: 'w-2' });
    expect(el.querySelector('[data-wave="w-3"] .rollback')).not.toBeNull();
  });

  it('shows a refused start', async () => {
    api.migrations.waves.start.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict' }));
    const { fixture, el } = await render(true);
    await press(fixture, el.querySelector('[data-wave="w-2"] button.start'));
    expect(el.querySelector('app-error-alert .error-message')?.textContent).toContain('与现有数据冲突');
  });
});
