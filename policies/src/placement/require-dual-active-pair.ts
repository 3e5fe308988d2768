import { definePlacementPolicy } from '../define-policy.ts';
import { JIANGXI_PLAN } from '../types.ts';

/**
 * GB/T 20988 level 6 (zero data loss, remote cluster: 数据零丢失和远程集群支持) means running active-active:
 * the cloud must be dual-active capable and have an enabled dual-active partner in the same city.
 */
export const requireDualActivePair = definePlacementPolicy({
  id: 'require-dual-active-pair',
  title: { zh: '灾备六级须部署于双活云对', en: 'DR level 6 needs a dual-active cloud pair' },
  rationale: { zh: 'GB/T 20988 第6级要求数据零丢失和远程集群支持；规划要求“推动重要业务双活容灾部署”。所选云须支持双活，且同城有另一朵可双活的云与之成对。', en: 'GB/T 20988 level 6 requires zero data loss with clustered failover; the plan pushes dual-active deployment of important systems. The cloud must be dual-active capable with another dual-active cloud in its city to pair with.' },
  reference: `${JIANGXI_PLAN}: 完善全省政务云灾备体系 — 推动重要业务双活容灾部署`,
  check({ system, cloud, clouds }) {
    if (system.drLevel < 6) return { ok: null, message: { zh: `灾备第${system.drLevel}级，无须双活`, en: `DR level ${system.drLevel} needs no dual-active pair` } };
    if (!cloud.dualActive) return { ok: false, message: { zh: `${cloud.id} 不支持双活`, en: `${cloud.id} is not dual-active capable` } };
    const partner = clouds.find((c) => c.id !== cloud.id && c.enabled && c.dualActive && c.region === cloud.region);
    return partner
      ? { ok: true, message: { zh: `${cloud.id} 与 ${partner.id} 构成双活云对`, en: `${cloud.id} pairs with ${partner.id} for dual-active` } }
      : { ok: false, message: { zh: `${cloud.id} 同城没有可双活的伙伴云`, en: `${cloud.id} has no dual-active partner cloud in its city` } };
  },
});
