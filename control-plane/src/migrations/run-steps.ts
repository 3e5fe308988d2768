import { ConflictError } from '../errors.ts';

/**
 * The steps of moving one system, in order, each with its undo (Temporal's saga: the undo of a step is
 * recorded when it completes, so a failure or a rollback part-way unwinds exactly what was done). The
 * release of the source is the point of no return: after it there is nothing to roll back to, and a
 * rollback is refused, named. A department network's move (部门专网 → extranet VRF) has its own steps
 * in the same wave.
 */

export const SYSTEM_STEPS = ['prepare-target', 'protect-target', 'copy', 'freeze-source', 'cut-over', 'verify', 'soak', 'release-source'] as const;
export type SystemStep = (typeof SYSTEM_STEPS)[number];

export const NETWORK_STEPS = ['network-prepare', 'network-routes', 'network-verify', 'network-soak'] as const;
export type NetworkStep = (typeof NETWORK_STEPS)[number];

export type RunStep = SystemStep | NetworkStep;

export interface StepInfo {
  zh: string;
  en: string;
  /** What undoes it (null: nothing to undo, or it cannot be undone). */
  undo: { zh: string; en: string } | null;
}

export const STEP_INFO: Record<RunStep, StepInfo> = {
  'prepare-target': { zh: '准备目标租户空间并预留配额', en: 'prepare the target tenant space and hold its quota', undo: { zh: '删除目标租户空间并释放配额', en: 'remove the target tenant space and release its quota' } },
  'protect-target': { zh: '在目标同城灾备中心建立保护（灾备等级 ≥ 4）', en: 'set up same-city protection at the target (DR level ≥ 4)', undo: { zh: '撤销目标同城保护', en: 'remove the target\'s same-city protection' } },
  copy: { zh: '复制数据到目标', en: 'copy the data to the target', undo: { zh: '取消复制并丢弃已复制数据', en: 'cancel the copy and discard what was copied' } },
  'freeze-source': { zh: '冻结源系统写入', en: 'freeze writes at the source', undo: { zh: '恢复源系统写入', en: 'let the source take writes again' } },
  'cut-over': { zh: '切换地址、DNS 记录与负载均衡成员', en: 'cut over addresses, DNS records and load-balancer members', undo: { zh: '切回源系统', en: 'point the entries back at the source' } },
  verify: { zh: '探测验证目标服务', en: 'verify the target with probes', undo: null },
  soak: { zh: '观察期', en: 'soak period', undo: null },
  'release-source': { zh: '释放源系统资源（不可回退）', en: 'release the source (no way back after this)', undo: null },
  'network-prepare': { zh: '在政务外网为部门专网创建 VRF', en: 'set up the department network\'s VRF on the extranet', undo: { zh: '撤销 VRF 迁移状态', en: 'put the VRF back to planned' } },
  'network-routes': { zh: '切换路由到政务外网', en: 'move the routes onto the extranet', undo: { zh: '路由切回部门专网', en: 'move the routes back to the department network' } },
  'network-verify': { zh: '验证两个平面的可达性', en: 'verify reachability on both planes', undo: null },
  'network-soak': { zh: '观察期后标记为已验证', en: 'mark verified after the soak', undo: null },
};

/** Steps a system goes through (the DR protection step only for DR level ≥ 4). */
export function systemSteps(drLevel: number): SystemStep[] {
  return SYSTEM_STEPS.filter((s) => s !== 'protect-target' || drLevel >= 4);
}

/**
 * What a rollback runs, given the steps completed so far (in order): the undos of the completed steps
 * that have one, last first. Throws once the source has been released.
 */
export function rollbackPlan(completed: readonly RunStep[]): RunStep[] {
  if (completed.includes('release-source')) throw new ConflictError('the source has been released: there is nothing to roll back to');
  return [...completed].reverse().filter((s) => STEP_INFO[s].undo !== null);
}

/** Idempotency key of a step's provider call: the same run, system and step always send the same key. */
export function stepKey(runId: string, itemId: string, step: RunStep, undo = false): string {
  return `mig:${runId}:${itemId}:${step}${undo ? ':undo' : ''}`;
}
