/**
 * Workflow titles in the reader's language (core/workflow-title.ts). The server stores an English title; these
 * are built from the workflow's kind and the names its input carries. Chinese first; English typed against it.
 */
export const workflowTitleZh = {
  'wfTitle.onboarding': '接入 {system} → {cloud}',
  'wfTitle.provision': '开通 {title}',
  'wfTitle.dr.drill': '演练 {group} → {target}',
  'wfTitle.dr.switchover': '计划内切换 {group} → {target}',
  'wfTitle.dr.failover': '灾难切换 {group} → {target}',
  'wfTitle.dr.failback': '回切 {group} → {target}',
  'wfTitle.dr.reprotect': '重新保护 {group} → {target}',
  'wfTitle.migration.solve': '求解迁移计划 {plan} 第 {version} 版',
  'wfTitle.migration.whatIf': '推演迁移计划 {plan} 第 {version} 版',
};

export const workflowTitleEn: Record<keyof typeof workflowTitleZh, string> = {
  'wfTitle.onboarding': 'Onboard {system} → {cloud}',
  'wfTitle.provision': 'Provision {title}',
  'wfTitle.dr.drill': 'Drill {group} → {target}',
  'wfTitle.dr.switchover': 'Planned switchover {group} → {target}',
  'wfTitle.dr.failover': 'Failover {group} → {target}',
  'wfTitle.dr.failback': 'Failback {group} → {target}',
  'wfTitle.dr.reprotect': 'Re-protect {group} → {target}',
  'wfTitle.migration.solve': 'Solve migration plan {plan} v{version}',
  'wfTitle.migration.whatIf': 'What-if for migration plan {plan} v{version}',
};
