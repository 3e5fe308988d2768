/** Fixtures for the DR domain specs: three centres of the province, systems, links, a plan. */
import { DR_OPERATIONS } from '@ganyun/providers';
import { centresOf, type Centre, type CloudZones } from '../dr/domain/centres.ts';
import type { PlanDraft, PlanStep, PlanWorld } from '../dr/domain/plan.ts';
import type { LinkFacts } from '../dr/domain/protection.ts';

export const CLOUDS: CloudZones[] = [
  { id: 'jx-province', name: '江西省政务云', nameEn: 'Province cloud', region: '3601', zones: [{ id: 'jxp-main', name: '主中心', nameEn: 'Production', role: 'production' }, { id: 'jxp-dr', name: '同城灾备中心', nameEn: 'Same-city DR', role: 'same-city-dr' }] },
  { id: 'jx-dr-ganzhou', name: '赣州异地灾备中心', nameEn: 'Ganzhou remote DR', region: '3607', zones: [{ id: 'gzdr-main', name: '异地灾备', nameEn: 'Remote DR', role: 'remote-dr' }] },
  { id: 'jiujiang', name: '九江市政务云', nameEn: 'Jiujiang cloud', region: '3604', zones: [{ id: 'jiujiang-main', name: '主中心', nameEn: 'Production', role: 'production' }, { id: 'jiujiang-az2', name: '可用区2', nameEn: 'AZ 2' }] },
];
export const CENTRES: Map<string, Centre> = new Map(centresOf(CLOUDS).map((c) => [c.id, c]));
export const PROD = 'jx-province/jxp-main';
export const SAME_CITY = 'jx-province/jxp-dr';
export const REMOTE = 'jx-dr-ganzhou/gzdr-main';

export const LINKS: LinkFacts[] = [
  { id: 'jxp-sync', from: PROD, to: SAME_CITY, mode: 'sync', state: 'healthy', lagSeconds: 0 },
  { id: 'jxp-gz', from: PROD, to: REMOTE, mode: 'async', state: 'healthy', lagSeconds: 28, nominalLagSeconds: 30 },
];

const ALL_OPS = DR_OPERATIONS;

export function world(over: Partial<PlanWorld> = {}): PlanWorld {
  return {
    systems: new Map([['sys-a', { name: '统一身份认证' }], ['sys-b', { name: '赣服通' }]]),
    bindings: [{ label: 'to same-city', source: 'jx-province', target: 'jx-province' }, { label: 'to remote', source: 'jx-province', target: 'jx-dr-ganzhou' }],
    capabilities: (cloudId) => (cloudId === 'jx-province' || cloudId === 'jx-dr-ganzhou' ? ALL_OPS : undefined),
    ...over,
  };
}

export const step = (id: string, group: number, dependsOn: string[] = [], extra: Partial<PlanStep> = {}): PlanStep =>
  ({ id, title: id, group, dependsOn, estimateSeconds: 10, kind: 'wait', seconds: 10, reason: 'replica settles', ...extra }) as PlanStep;

export function plan(steps: PlanStep[], groups = [1, 2, 3]): PlanDraft {
  return { name: 'test plan', groups: groups.map((n) => ({ number: n, name: `group ${n}` })), steps };
}
