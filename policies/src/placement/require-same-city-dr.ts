import { definePlacementPolicy } from '../define-policy.ts';
import { JIANGXI_PLAN } from '../types.ts';

/**
 * GB/T 20988 level 4 and above (electronic transfer with full equipment at a standby site, up to
 * real-time transfer) needs a standby site in the same city: the cloud must have a same-city DR site.
 */
export const requireSameCityDr = definePlacementPolicy({
  id: 'require-same-city-dr',
  title: { zh: '灾备四级及以上须有同城灾备站点', en: 'DR level 4+ needs a same-city DR site' },
  rationale: { zh: 'GB/T 20988 第4级及以上要求备用站点具备完整设备与电子传输能力；规划要求强化“两地三中心”灾备体系。所选云须具备同城灾备站点。', en: 'GB/T 20988 level 4 and above require a fully equipped standby site with electronic transfer; the plan strengthens the "two places, three centres" DR system. The chosen cloud must have a same-city DR site.' },
  reference: `${JIANGXI_PLAN}: 完善全省政务云灾备体系 — 强化省级“两地三中心”灾备体系`,
  check({ system, cloud }) {
    const edition = `GB/T 20988-${system.drEdition}`;
    if (system.drLevel < 4) return { ok: null, message: { zh: `${edition} 第${system.drLevel}级，无须同城灾备`, en: `${edition} level ${system.drLevel} needs no same-city DR site` } };
    return cloud.siteRoles.includes('same-city-dr')
      ? { ok: true, message: { zh: `${cloud.id} 具备同城灾备站点`, en: `${cloud.id} has a same-city DR site` } }
      : { ok: false, message: { zh: `${edition} 第${system.drLevel}级需要同城灾备站点，${cloud.id} 没有`, en: `${edition} level ${system.drLevel} needs a same-city DR site; ${cloud.id} has none` } };
  },
});
