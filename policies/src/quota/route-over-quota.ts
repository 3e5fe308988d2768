import type { Enforcement, Policy } from '../types.ts';

/**
 * Resources beyond the quota are not refused outright (advisory, the default): the request becomes a
 * quota-increase request for the approvers. Made mandatory, a request beyond quota is refused instead.
 */
export function routeOverQuotaToApproval(enforcement: Enforcement = 'advisory'): Policy {
  return {
    id: 'route-over-quota-to-approval',
    title: { zh: '超出配额转为配额扩容申请', en: 'Beyond quota becomes a quota-increase request' },
    rationale: {
      zh: '配额是资源的统筹分配；超出配额的申请不直接拒绝，而是转为配额扩容申请，由审批人决定是否增加配额。',
      en: 'Quotas share capacity out fairly; a request beyond the quota is not simply refused but becomes a quota-increase request, and the approvers decide whether to raise the quota.',
    },
    reference: null,
    scope: 'quota',
    enforcement,
    onFailure: 'quota-increase',
    check({ quota }) {
      if (!quota) return { ok: null, message: { zh: '未申请资源', en: 'no resources requested' } };
      if (quota.fits) return { ok: true, message: { zh: '在配额之内', en: 'within quota' } };
      const hard = quota.shortfalls.filter((s) => s.kind === 'hard');
      const lines = hard.map((s) => `${s.level} ${s.ref}: ${s.resourceClass}@${s.cloudId} ${s.used}+${s.requested}>${s.limit}`).join('; ');
      if (!lines) return { ok: false, message: { zh: '超出配额：尚未为这些资源设置配额', en: 'beyond quota: no quota is set for these resources yet' } };
      return { ok: false, message: { zh: `超出配额：${lines}`, en: `beyond quota: ${lines}` } };
    },
  };
}
