import { definePlacementPolicy } from '../define-policy.ts';
import { JIANGXI_PLAN } from '../types.ts';

/** A system that must run on Xinchuang (信创) technology goes only to a Xinchuang cloud. */
export const requireXinchuangCloud = definePlacementPolicy({
  id: 'require-xinchuang-cloud',
  title: { zh: '信创系统仅部署于信创云', en: 'Xinchuang systems only on Xinchuang clouds' },
  rationale: { zh: '规划要求“推进各设区市信创云平台建设，加快各级应用系统向信创云平台迁移”；要求信创的系统只能放在信创云上。', en: 'The plan calls for Xinchuang cloud platforms in every city and for moving applications onto them; a system that must run on Xinchuang technology may only be placed on a Xinchuang cloud.' },
  reference: `${JIANGXI_PLAN}: 提升全省政务云平台服务能力 — 推进各设区市信创云平台建设`,
  check({ system, cloud }) {
    if (!system.xinchuangRequired) return { ok: null, message: { zh: '系统不要求信创', en: 'the system does not require Xinchuang' } };
    return cloud.kind === 'xinchuang'
      ? { ok: true, message: { zh: `${cloud.id} 为信创云`, en: `${cloud.id} is a Xinchuang cloud` } }
      : { ok: false, message: { zh: `${cloud.id} 不是信创云，而系统要求信创`, en: `${cloud.id} is not a Xinchuang cloud and the system requires one` } };
  },
});
