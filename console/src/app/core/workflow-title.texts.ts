/**
 * Workflow titles and kind names in the reader's language (core/workflow-title.ts). The server stores an English title; these
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
  // A workflow's kind, named (core/workflow-title.ts workflowKindName): the code stays on hover.
  'wfKind.onboarding': '系统接入',
  'wfKind.request-provisioning': '资源开通',
  'wfKind.resource-change': '资源变更',
  'wfKind.dr.drill': '灾备演练',
  'wfKind.dr.switchover': '计划内切换',
  'wfKind.dr.failover': '灾难切换',
  'wfKind.dr.failback': '回切',
  'wfKind.dr.reprotect': '重新保护',
  'wfKind.migration.solve': '迁移计划求解',
  'wfKind.migration.wave': '迁移波次',
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
  'wfKind.onboarding': 'Onboarding',
  'wfKind.request-provisioning': 'Provisioning',
  'wfKind.resource-change': 'Resource change',
  'wfKind.dr.drill': 'DR drill',
  'wfKind.dr.switchover': 'Planned switchover',
  'wfKind.dr.failover': 'Failover',
  'wfKind.dr.failback': 'Failback',
  'wfKind.dr.reprotect': 'Re-protect',
  'wfKind.migration.solve': 'Migration plan solve',
  'wfKind.migration.wave': 'Migration wave',
};
