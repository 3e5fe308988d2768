import { definePlacementPolicy } from '../define-policy.ts';
import { JIANGXI_PLAN } from '../types.ts';

/** 等保 level 3 and above: only on a cloud platform certified for at least that level. */
export const requireMlpsCertification = definePlacementPolicy({
  id: 'require-mlps-certification',
  title: { zh: '等保三级及以上系统须部署于相应等级测评的云', en: 'MLPS level 3+ only on clouds certified for it' },
  rationale: { zh: '规划要求“加强网络安全等级保护”；三级及以上系统所在云平台须通过同级或更高级别的等级保护测评。', en: 'The plan requires strengthened MLPS (等级保护) protection; a system at level 3 or above must run on a cloud platform certified at that level or higher.' },
  reference: `${JIANGXI_PLAN}: 构建数字政府全方位安全保障体系 — 加强网络安全等级保护和密码保护`,
  check({ system, cloud }) {
    if (system.mlpsLevel < 3) return { ok: null, message: { zh: `等保${system.mlpsLevel}级，无须云平台测评`, en: `MLPS level ${system.mlpsLevel} needs no certified platform` } };
    const best = Math.max(0, ...cloud.certifications);
    return best >= system.mlpsLevel
      ? { ok: true, message: { zh: `${cloud.id} 通过等保${best}级测评`, en: `${cloud.id} is certified up to MLPS level ${best}` } }
      : { ok: false, message: { zh: `系统为等保${system.mlpsLevel}级，${cloud.id} 最高仅通过${best}级测评`, en: `the system is MLPS level ${system.mlpsLevel}; ${cloud.id} is certified only up to level ${best}` } };
  },
});
