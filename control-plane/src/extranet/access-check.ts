import type { Queryable } from '../store/store.ts';
import { accessRepo, type VrfRow } from './access-repo.ts';
import { attachmentsRepo, devicesRepo, linksRepo, planesRepo, type Device, type Family, type Link } from './inventory-repo.ts';
import type { UnitRecord } from './units-repo.ts';

/**
 * Can unit X reach system Y over plane P and family F — from the inventory. The path is walked hop by hop
 * (unit → CE → access link → aggregation → PE → plane/VRF → the cloud's PE → cloud → system); every hop is
 * judged, so the answer shows all that is wrong, and `reason` is the first blocker along the path.
 */
export const BLOCK_REASONS = [
  'plane-family', 'no-link', 'link-down', 'family-not-on-link', 'device-down', 'no-address',
  'system-not-placed', 'cloud-not-attached', 'cloud-no-prefix', 'vrf-not-imported',
] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export interface Hop {
  kind: 'unit' | 'ce' | 'link' | 'aggregation' | 'pe' | 'address' | 'vrf' | 'cloud-pe' | 'cloud' | 'system';
  name: string;
  status: 'ok' | 'blocked' | 'unknown';
  reason?: BlockReason;
  /** The specifics in English (API callers, logs). */
  detail?: string;
  /** The same specifics in Chinese where they are a sentence (the console shows it in zh-CN); names need none. */
  detailZh?: string;
}

export interface SystemRef {
  id: string;
  name: string;
  departmentId: string;
  cloudId: string | null;
  cloudName: string | null;
}

export interface InventoryCheck {
  ok: boolean;
  reason: BlockReason | null;
  reasons: BlockReason[];
  path: Hop[];
  /** What a live probe needs: the unit's PE (and its SSH-managed cloud), the target address and the VPN instance. */
  probe: { peCloudId: string | null; peName: string | null; target: string | null; vpnInstance: string | null };
}

const LINK_STATE_ZH: Record<string, string> = { down: '中断', planned: '尚在规划中', up: '正常' };

const rank = (l: Link, family: Family) => (l.state === 'up' ? 0 : 2) + (l.families.includes(family) ? 0 : 1);

export async function checkFromInventory(db: Queryable, unit: UnitRecord, system: SystemRef, planeId: string, family: Family): Promise<InventoryCheck> {
  const path: Hop[] = [];
  const block = (hop: Omit<Hop, 'status'> & { reason: BlockReason }) => path.push({ ...hop, status: 'blocked' });
  const plane = (await planesRepo.byId(db, planeId))!;
  path.push({ kind: 'unit', name: `${unit.name} (${unit.code})`, status: 'ok' });

  // Access side: the best link on the plane (up and carrying the family first).
  const links = (await linksRepo.byUnit(db, unit.code)).filter((l) => l.planeId === planeId).sort((a, b) => rank(a, family) - rank(b, family));
  const link = links[0];
  let pe: Device | null = null;
  if (!plane.addressFamilies.includes(family)) {
    block({ kind: 'link', name: plane.name, reason: 'plane-family', detail: `${plane.id} carries ${plane.addressFamilies.join(', ')}`, detailZh: `${plane.id} 只承载 ${plane.addressFamilies.join('、')}` });
  }
  if (!link) {
    block({ kind: 'link', name: plane.name, reason: 'no-link', detail: `no link of ${unit.code} on ${plane.id}`, detailZh: `${unit.code} 在 ${plane.id} 上没有接入链路` });
  } else {
    const devices = new Map<string, Device>();
    for (const id of [link.ceDeviceId, link.aggDeviceId, link.peDeviceId]) if (id) devices.set(id, (await devicesRepo.byId(db, id))!);
    const deviceHop = (kind: Hop['kind'], d: Device) =>
      d.state === 'up' ? path.push({ kind, name: d.name, status: 'ok', detail: `${d.vendor} ${d.model}` }) : block({ kind, name: d.name, reason: 'device-down', detail: `${d.name} is down`, detailZh: `${d.name} 已中断` });
    if (link.ceDeviceId) deviceHop('ce', devices.get(link.ceDeviceId)!);
    const linkName = `${link.circuitId} · ${link.carrier} · ${link.bandwidthMbps} Mb/s${link.interfaceName ? ` · ${link.interfaceName}` : ''}`;
    if (link.state !== 'up') block({ kind: 'link', name: linkName, reason: 'link-down', detail: `link ${link.circuitId} is ${link.state}`, detailZh: `链路 ${link.circuitId} ${LINK_STATE_ZH[link.state] ?? link.state}` });
    else if (!link.families.includes(family)) block({ kind: 'link', name: linkName, reason: 'family-not-on-link', detail: `link ${link.circuitId} carries ${link.families.join(', ')} only`, detailZh: `链路 ${link.circuitId} 只开通了 ${link.families.join('、')}` });
    else path.push({ kind: 'link', name: linkName, status: 'ok' });
    if (link.aggDeviceId) deviceHop('aggregation', devices.get(link.aggDeviceId)!);
    pe = devices.get(link.peDeviceId)!;
    deviceHop('pe', pe);
  }

  // The unit's address on this plane and family (IPAM), and the VRF it lives in.
  const addr = await accessRepo.unitAddress(db, unit.code, planeId, family);
  if (addr) path.push({ kind: 'address', name: addr.cidr, status: 'ok' });
  else block({ kind: 'address', name: family, reason: 'no-address', detail: `${unit.code} has no ${family} address on ${planeId}`, detailZh: `${unit.code} 在 ${planeId} 上没有 ${family} 地址` });

  // Cloud side.
  let target: string | null = null;
  let vpnInstance: string | null = null;
  if (!system.cloudId) {
    block({ kind: 'cloud', name: system.name, reason: 'system-not-placed', detail: 'the system is not placed on a cloud yet', detailZh: '该系统尚未部署到云' });
  } else {
    const [att] = await attachmentsRepo.list(db, system.cloudId).then((a) => a.filter((x) => x.planeId === planeId));
    if (!att || att.state !== 'up') {
      block({ kind: 'cloud', name: system.cloudName ?? system.cloudId, reason: 'cloud-not-attached', detail: att ? `the attachment to ${planeId} is down` : `cloud ${system.cloudId} is not attached to ${planeId}`,
        detailZh: att ? `云到 ${planeId} 的接入已中断` : `云 ${system.cloudId} 未接入 ${planeId}` });
    } else {
      const prefix = family === 'ipv4' ? att.prefixV4 : att.prefixV6;
      target = family === 'ipv4' ? att.probeV4 : att.probeV6;
      const vrfs = await accessRepo.vrfsByIds(db, [addr?.vrfId, att.vrfId].filter(Boolean));
      const unitVrf = vrfs.find((v) => v.id === addr?.vrfId) ?? null;
      const cloudVrf = vrfs.find((v) => v.id === att.vrfId) ?? null;
      vpnInstance = unitVrf?.name ?? null;
      if (addr) {
        const vrfHop = vrfVerdict(unitVrf, cloudVrf);
        if (vrfHop.ok) path.push({ kind: 'vrf', name: vrfHop.name, status: 'ok', detail: vrfHop.detail, detailZh: vrfHop.detailZh });
        else block({ kind: 'vrf', name: vrfHop.name, reason: 'vrf-not-imported', detail: vrfHop.detail, detailZh: vrfHop.detailZh });
      } else path.push({ kind: 'vrf', name: cloudVrf?.name ?? 'global', status: 'unknown', detail: 'no unit address: the VRF cannot be judged', detailZh: '单位没有地址，无法判断 VRF' });
      const cloudPe = await devicesRepo.byId(db, att.peDeviceId);
      if (cloudPe) {
        if (cloudPe.state === 'up') path.push({ kind: 'cloud-pe', name: cloudPe.name, status: 'ok', detail: `${cloudPe.vendor} ${cloudPe.model}` });
        else block({ kind: 'cloud-pe', name: cloudPe.name, reason: 'device-down', detail: `${cloudPe.name} is down`, detailZh: `${cloudPe.name} 已中断` });
      }
      if (prefix) path.push({ kind: 'cloud', name: `${system.cloudName ?? system.cloudId} ${prefix}`, status: 'ok' });
      else block({ kind: 'cloud', name: system.cloudName ?? system.cloudId, reason: 'cloud-no-prefix', detail: `no ${family} prefix for ${system.cloudId} on ${planeId}`, detailZh: `${system.cloudId} 在 ${planeId} 上没有 ${family} 前缀` });
    }
  }
  path.push({ kind: 'system', name: system.name, status: path.some((h) => h.status === 'blocked') ? 'unknown' : 'ok' });
  const reasons = path.filter((h) => h.status === 'blocked').map((h) => h.reason!);
  return {
    ok: reasons.length === 0, reason: reasons[0] ?? null, reasons, path,
    probe: { peCloudId: pe?.cloudId ?? null, peName: pe?.name ?? null, target, vpnInstance },
  };
}

/** Traffic flows both ways: the unit's VRF must import a target the cloud's VRF exports, and the reverse. */
export function vrfVerdict(unitVrf: VrfRow | null, cloudVrf: VrfRow | null): { ok: boolean; name: string; detail: string; detailZh: string } {
  const name = `${unitVrf?.name ?? 'global'} → ${cloudVrf?.name ?? 'global'}`;
  if ((unitVrf?.id ?? null) === (cloudVrf?.id ?? null)) return { ok: true, name, detail: 'same routing table', detailZh: '同一路由表' };
  if (!unitVrf || !cloudVrf) return { ok: false, name, detail: 'one side is in the global table, the other in a VRF: no route leaking is configured', detailZh: '一端在全局路由表、另一端在 VRF 中，未配置路由泄露' };
  const has = (imports: string[], exports: string[]) => exports.some((rt) => imports.includes(rt));
  const there = has(unitVrf.import_targets, cloudVrf.export_targets);
  const back = has(cloudVrf.import_targets, unitVrf.export_targets);
  if (there && back) return { ok: true, name, detail: 'route targets imported both ways', detailZh: '双向已引入路由目标' };
  const missing = [!there && `${unitVrf.name} imports none of ${cloudVrf.name}'s export targets (${cloudVrf.export_targets.join(', ') || 'none'})`,
    !back && `${cloudVrf.name} imports none of ${unitVrf.name}'s export targets (${unitVrf.export_targets.join(', ') || 'none'})`].filter(Boolean);
  const missingZh = [!there && `${unitVrf.name} 未引入 ${cloudVrf.name} 的任何导出路由目标（${cloudVrf.export_targets.join('、') || '无'}）`,
    !back && `${cloudVrf.name} 未引入 ${unitVrf.name} 的任何导出路由目标（${unitVrf.export_targets.join('、') || '无'}）`].filter(Boolean);
  return { ok: false, name, detail: missing.join('; '), detailZh: missingZh.join('；') };
}
