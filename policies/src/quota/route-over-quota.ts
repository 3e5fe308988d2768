import { definePolicy } from '../define-policy.ts';
import type { QuotaShortfallFacts } from '../types.ts';

const LEVEL: Record<string, { zh: string; en: string }> = {
  province: { zh: '省', en: 'province' }, city: { zh: '市', en: 'city' }, department: { zh: '部门', en: 'department' }, system: { zh: '业务系统', en: 'system' },
};
const CLASS: Record<string, { zh: string; en: string }> = {
  vcpu: { zh: 'vCPU', en: 'vCPU' }, memoryGiB: { zh: '内存 GiB', en: 'memory GiB' }, storageGiB: { zh: '存储 GiB', en: 'storage GiB' }, gpu: { zh: 'GPU', en: 'GPU' },
  ipv4Addresses: { zh: 'IPv4 地址', en: 'IPv4 addresses' }, ipv6Prefixes64: { zh: 'IPv6 /64 前缀', en: 'IPv6 /64 prefixes' },
};

/**
 * Resources beyond the quota are not refused outright (advisory, the default): the request becomes a
 * quota-increase request for the approvers. Made mandatory, a request beyond quota is refused instead.
 */
export const routeOverQuotaToApproval = definePolicy({
  id: 'route-over-quota-to-approval',
  title: { zh: '超出配额转为配额扩容申请', en: 'Beyond quota becomes a quota-increase request' },
  rationale: { zh: '配额是资源的统筹分配；超出配额的申请不直接拒绝，而是转为配额扩容申请，由审批人决定是否增加配额。', en: 'Quotas share capacity out fairly; a request beyond the quota is not simply refused but becomes a quota-increase request, and the approvers decide whether to raise the quota.' },
  reference: null,
  scope: 'quota',
  onFailure: 'quota-increase',
  check({ quota }) {
    if (!quota) return { ok: null, message: { zh: '未申请资源', en: 'no resources requested' } };
    if (quota.fits) return { ok: true, message: { zh: '在配额之内', en: 'within quota' } };
    const hard = quota.shortfalls.filter((s) => s.kind === 'hard');
    if (!hard.length) return { ok: false, message: { zh: '超出配额：尚未为这些资源设置配额', en: 'beyond quota: no quota is set for these resources yet' } };
    // The level and the resource in words, not the quota node's id: this text is shown to people (the node is
    // in the request's shortfalls for whoever needs it).
    const line = (s: QuotaShortfallFacts, lang: 'zh' | 'en') =>
      `${LEVEL[s.level]?.[lang] ?? s.level} ${CLASS[s.resourceClass]?.[lang] ?? s.resourceClass}@${s.cloudId} ${s.used}+${s.requested}>${s.limit}`;
    return { ok: false, message: { zh: `超出配额：${hard.map((s) => line(s, 'zh')).join('；')}`, en: `beyond quota: ${hard.map((s) => line(s, 'en')).join('; ')}` } };
  },
}, 'advisory');
