import { stepName, type StepNaming } from './run-view.ts';

describe('DR step names (run-view stepName)', () => {
  const naming: StepNaming = {
    planTitles: new Map([['step:db-a', '提升数据库']]),
    systemNames: new Map([['step:reprotect-0', '社保核心'], ['sandbox:0', '社保核心'], ['verify:0', '社保核心'], ['cleanup:0', '社保核心']]),
    source: { zh: '南昌主中心', en: 'Nanchang primary' },
    target: { zh: '九江灾备中心', en: 'Jiujiang DR centre' },
    groupName: '社保保护组',
  };

  it('names plan steps by their plan titles and the run’s own steps from the centres and the step’s system', () => {
    expect(stepName('step:db-a', naming)).toEqual({ zh: '提升数据库', en: '提升数据库' });
    expect(stepName('declare', naming)).toEqual({ zh: '宣告灾备操作', en: 'Declare the DR operation' });
    expect(stepName('activate', naming)).toEqual({ zh: '切换服务中心至 九江灾备中心', en: 'Make Jiujiang DR centre the serving centre' });
    expect(stepName('sandbox:0', naming)).toEqual({ zh: '创建演练沙箱：社保核心（九江灾备中心）', en: 'Create drill sandbox: 社保核心 (Jiujiang DR centre)' });
    expect(stepName('verify:0', naming)).toEqual({ zh: '校验 社保核心（九江灾备中心）', en: 'Verify 社保核心 (Jiujiang DR centre)' });
    expect(stepName('cleanup:0', naming)).toEqual({ zh: '清理演练沙箱：社保核心', en: 'Remove drill sandbox: 社保核心' });
    expect(stepName('step:reprotect-0', naming)).toEqual({ zh: '重新保护 社保核心：南昌主中心 → 九江灾备中心', en: 'Re-protect 社保核心: Nanchang primary → Jiujiang DR centre' });
  });

  it('falls back to the group for a re-protection without a system, and to nothing for keys it does not know', () => {
    expect(stepName('step:reprotect-1', naming)!.zh).toBe('重新保护 社保保护组：南昌主中心 → 九江灾备中心');
    expect(stepName('verify:1', naming)).toBeNull();
    expect(stepName('new-kind:0', naming)).toBeNull();
    expect(stepName('step:not-in-plan', naming)).toBeNull();
  });
});
