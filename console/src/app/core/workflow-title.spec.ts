import { TestBed } from '@angular/core/testing';
import { setUpConsoleSpec } from '../../testing/test-helpers';
import { I18nService } from './i18n/i18n.service';
import { workflowKindName, workflowTitle, type TitledWorkflow } from './workflow-title';

const cloud = { zh: '九江政务云', en: 'Jiujiang Gov Cloud' };
const centres = { source: { zh: '南昌主中心', en: 'Nanchang primary' }, target: { zh: '九江灾备中心', en: 'Jiujiang DR centre' } };

const onboarding: TitledWorkflow = {
  kind: 'onboarding', title: 'onboard 社保系统 → jiujiang', input: { systemId: 's1', cloudId: 'jiujiang', limits: [], names: { system: '社保系统', cloud } },
};
const provisioning: TitledWorkflow = { kind: 'request-provisioning', title: 'provision 社保系统扩容 4 台', input: { requestId: 'r1' } };
const drill: TitledWorkflow = { kind: 'dr.drill', title: 'drill 医保组 → jj-dr', input: { runId: 'x', groupId: 'g', names: { group: '医保组', ...centres } } };
const reprotect: TitledWorkflow = { kind: 'dr.reprotect', title: 'reprotect 医保组 → jj-dr', input: { runId: 'x', groupId: 'g', names: { group: '医保组', ...centres } } };
const whatIf: TitledWorkflow = { kind: 'migration.solve', title: 'What-if 上云计划 v3', input: { versionId: 'v', names: { plan: '上云计划', version: 3, whatIf: true } } };

describe('workflowTitle', () => {
  let i18n: I18nService;
  beforeEach(() => {
    setUpConsoleSpec();
    i18n = TestBed.inject(I18nService);
  });

  it('titles each known kind in Chinese from the names in its input', () => {
    expect(workflowTitle(onboarding, i18n)).toBe('接入 社保系统 → 九江政务云');
    expect(workflowTitle(provisioning, i18n)).toBe('开通 社保系统扩容 4 台');
    expect(workflowTitle(drill, i18n)).toBe('演练 医保组 → 九江灾备中心');
    expect(workflowTitle(reprotect, i18n)).toBe('重新保护 医保组 → 九江灾备中心');
    expect(workflowTitle(whatIf, i18n)).toBe('推演迁移计划 上云计划 第 3 版');
    expect(workflowTitle({ ...whatIf, input: { names: { plan: '上云计划', version: 3, whatIf: false } } }, i18n)).toBe('求解迁移计划 上云计划 第 3 版');
  });

  it('titles them in English, with the English names, after the switch', () => {
    i18n.setLang('en');
    expect(workflowTitle(onboarding, i18n)).toBe('Onboard 社保系统 → Jiujiang Gov Cloud');
    expect(workflowTitle(provisioning, i18n)).toBe('Provision 社保系统扩容 4 台');
    expect(workflowTitle(drill, i18n)).toBe('Drill 医保组 → Jiujiang DR centre');
    expect(workflowTitle(reprotect, i18n)).toBe('Re-protect 医保组 → Jiujiang DR centre');
  });

  it('keeps the stored title for a kind it does not know', () => {
    const wave: TitledWorkflow = { kind: 'migration.wave', title: '上云计划 W2 (2026-03-02)', input: { waveId: 'w' } };
    const future: TitledWorkflow = { kind: 'backup.restore', title: 'restore db-01', input: { names: { system: 'x' } } };
    expect(workflowTitle(wave, i18n)).toBe('上云计划 W2 (2026-03-02)');
    expect(workflowTitle(future, i18n)).toBe('restore db-01');
  });

  it('keeps the stored title when a known kind lacks the names (a workflow started before they were stored)', () => {
    expect(workflowTitle({ ...onboarding, input: { systemId: 's1', cloudId: 'jiujiang' } }, i18n)).toBe('onboard 社保系统 → jiujiang');
    expect(workflowTitle({ ...drill, input: null }, i18n)).toBe('drill 医保组 → jj-dr');
    expect(workflowTitle({ ...provisioning, title: 'something else' }, i18n)).toBe('something else');
  });

  it('uses the other language of a name when the reader’s is empty', () => {
    i18n.setLang('en');
    const noEn = { ...onboarding, input: { names: { system: '社保系统', cloud: { zh: '九江政务云', en: '' } } } };
    expect(workflowTitle(noEn, i18n)).toBe('Onboard 社保系统 → 九江政务云');
  });

  it('names every kind the server starts in both languages, and shows an unknown kind’s code', () => {
    const kinds = ['onboarding', 'request-provisioning', 'resource-change', 'dr.drill', 'dr.switchover', 'dr.failover', 'dr.failback', 'dr.reprotect', 'migration.solve', 'migration.wave'];
    const zh = kinds.map((k) => workflowKindName(k, i18n));
    expect(zh.slice(0, 4)).toEqual(['系统接入', '资源开通', '资源变更', '灾备演练']);
    expect(zh.filter((n, i) => n === kinds[i])).toEqual([]);
    expect(workflowKindName('brand-new.kind', i18n)).toBe('brand-new.kind');
    i18n.setLang('en');
    const en = kinds.map((k) => workflowKindName(k, i18n));
    expect(en.slice(0, 4)).toEqual(['Onboarding', 'Provisioning', 'Resource change', 'DR drill']);
    expect(en.filter((n, i) => n === kinds[i] || /[\u4e00-\u9fff]/.test(n))).toEqual([]);
    expect(workflowKindName('brand-new.kind', i18n)).toBe('brand-new.kind');
  });
});
