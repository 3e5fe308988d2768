import type { Text } from '@ganyun/policies';
import { XINCHUANG_VENDORS, type CpuArch, type CpuVendor } from '@ganyun/providers';
import { InputError } from '../errors.ts';
import type { FederationService } from '../federation/contract.ts';
import { rankNote } from '../placement/placement.ts';
import { placeSystem } from '../placement/placement-service.ts';
import type { Queryable } from '../store/store.ts';
import type { SystemRow } from '../systems/systems-repo.ts';
import { cloudCatalogue, type Catalogue } from './cloud-catalogue.ts';
import { FLAVOURS, NETWORKS, type ResourceKindName } from './resource-items.ts';
import { poolsRepo, resourcesRepo } from './resources-repo.ts';

/** Why a platform of the cloud is not offered to the system: outside its architectures, or not 信创 when it must be. */
export type PlatformRefusal = 'architecture' | 'xinchuang';

/** The request kinds and the cloud resource kind each needs. */
const KIND_NEEDS: Record<ResourceKindName, string> = { host: 'vm', volume: 'volume', workload: 'workload', segment: 'network-segment' };

/**
 * What a system may ask for on a cloud, from the cloud's catalogue: its platforms marked allowed or not by the
 * system's architectures and 信创 need, only the images that have a build for an allowed architecture, the
 * request kinds the cloud offers. Pure: the same rules as the submit's checks (item-checks.ts), so whatever the
 * form offers passes them.
 */
export function offerFor(system: Pick<SystemRow, 'architectures' | 'xinchuangRequired'>, catalogue: Catalogue) {
  const refusal = (arch: string, vendor: CpuVendor): PlatformRefusal | null => {
    if (system.architectures.length && !system.architectures.includes(arch)) return 'architecture';
    if (system.xinchuangRequired && !XINCHUANG_VENDORS.has(vendor)) return 'xinchuang';
    return null;
  };
  const platforms = catalogue.platforms.map((p) => ({ arch: p.arch, vendor: p.vendor, refusal: refusal(p.arch, p.vendor) }));
  const allowedArches = new Set<CpuArch>(platforms.filter((p) => p.refusal === null).map((p) => p.arch));
  const images = catalogue.images
    .map((i) => ({ id: i.id, name: i.name, legacy: i.legacy, arches: i.arches.filter((a) => allowedArches.has(a)) }))
    .filter((i) => i.arches.length > 0);
  const kinds = (Object.keys(KIND_NEEDS) as ResourceKindName[]).filter((k) => (catalogue.resourceKinds as readonly string[]).includes(KIND_NEEDS[k]));
  return { platforms, images, kinds, zones: [...catalogue.zones] };
}

/**
 * Placement marks its own first choice 选中, but the form uses the named cloud, or the one the system already runs
 * on when that is eligible: the note moves to the cloud the form will use, saying why, and placement's first
 * choice is shown with its rank like the others.
 */
function chosenAs(candidate: { reasons: Text[]; rank: number | null; rankAt: number | null }, isTarget: boolean, why: 'named' | 'own'): Text[] {
  const { rank } = candidate;
  if (rank === null) return candidate.reasons;
  const note = isTarget
    ? rankNote(rank, true, why === 'named' ? { zh: '申请指定此云', en: 'named for this request' } : { zh: '系统已在此云运行', en: 'the system already runs here' })
    : rankNote(rank, false);
  return candidate.reasons.map((r, i) => (i === candidate.rankAt ? note : r));
}

/**
 * The request form's catalogue for one system: every cloud judged by placement (等保 certification, 信创, the
 * architectures: an ineligible cloud is listed with its reasons), and for the chosen one (named, else the
 * system's own cloud, else placement's choice) the flavours, the offer from its provider catalogue (read through
 * the federation contract, before any transaction), the networks that have address pools, and the system's live
 * segments and hosts there that new items can refer to.
 */
export async function requestCatalogue(db: Queryable, federation: FederationService, system: SystemRow, cloudId?: string) {
  const placement = await placeSystem(db, system);
  const eligible = (id: string | null | undefined) => (id ? placement.candidates.find((c) => c.cloudId === id && c.eligible) : undefined);
  const target = cloudId ?? eligible(system.cloudId)?.cloudId ?? placement.chosen;
  const clouds = placement.candidates.map((c) => ({
    cloudId: c.cloudId, name: c.name, eligible: c.eligible,
    reasons: target && target !== placement.chosen && eligible(target) ? chosenAs(c, c.cloudId === target, cloudId ? 'named' : 'own') : c.reasons,
  }));
  if (cloudId && !clouds.some((c) => c.cloudId === cloudId)) throw new InputError(`no cloud ${cloudId}`, 'cloudId');
  if (cloudId && !eligible(cloudId)) {
    const why = clouds.find((c) => c.cloudId === cloudId)!.reasons.map((r) => r.en).join('; ');
    throw new InputError(`system ${system.name} cannot run on cloud ${cloudId}: ${why}`, 'cloudId', { code: 'placement.noCloud', params: { reasons: why } });
  }
  const base = {
    system: { id: system.id, name: system.name, mlpsLevel: system.mlpsLevel, xinchuangRequired: system.xinchuangRequired, architectures: system.architectures },
    clouds, flavours: FLAVOURS.map((f) => ({ ...f })),
  };
  // No cloud can take the system: the clouds and their reasons, an empty offer (same shape, so the form has one type).
  const catalogue: Catalogue = target ? await cloudCatalogue(federation, target) : { platforms: [], images: [], resourceKinds: [], zones: [] };
  const pools = target ? await poolsRepo.list(db, target) : [];
  const networks = NETWORKS.map((network) => ({
    network, ipv4: pools.some((p) => p.network === network && p.family === 'ipv4'), ipv6: pools.some((p) => p.network === network && p.family === 'ipv6'),
  })).filter((n) => n.ipv4);
  const live = target ? (await resourcesRepo.list(db, { departmentIds: null, systemId: system.id })).filter((r) => r.cloudId === target && r.state === 'active') : [];
  return {
    ...base, cloudId: target, ...offerFor(system, catalogue), networks,
    segments: live.filter((r) => r.kind === 'segment').map((r) => ({ name: r.name, ipv4: r.ipv4, ipv6: r.ipv6 })),
    hosts: live.filter((r) => r.kind === 'host').map((r) => ({ name: r.name, zone: r.zone })),
  };
}
