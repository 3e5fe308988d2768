import { newId } from '../ids.ts';
import { lockForTransaction } from '../store/locks.ts';
import type { Store, Queryable } from '../store/store.ts';
import { demoRepo } from './demo-repo.ts';
import { seedDemoSystems } from './demo-systems.ts';
import { attachmentsRepo } from './inventory-repo.ts';
import { reachabilityRepo } from './reachability-repo.ts';
import { sweepReachability, takeSnapshot } from './reachability.ts';
import { DEMO_PLANES, synthesiseExtranet } from './synthesise.ts';

/**
 * Demo addressing for the synthesised units, written straight into IPAM's tables (0008) with their tree
 * rules respected: one VRF per plane, an IPv4 /8 and an IPv6 /32 aggregate per VRF, and per unit a /29
 * and a /64 assigned under them — for most units above village level and about half the villages, so
 * readiness has real gaps. Skipped when IPAM already holds unit allocations (its own data wins).
 */
export async function synthesiseAddressing(db: Queryable): Promise<{ vrfs: Map<string, string>; prefixes: number }> {
  const vrfs = new Map<string, string>();
  if ((await demoRepo.unitPrefixCount(db)) > 0) return { vrfs, prefixes: 0 };
  let prefixes = 0;
  for (const [i, plane] of DEMO_PLANES.entries()) {
    const vrf = newId();
    const rt = `65000:${i + 1}00`;
    vrfs.set(plane.id, vrf);
    await demoRepo.insertPlaneVrf(db, { id: vrf, name: `extranet-${plane.id}`, rt, planeId: plane.id, description: `${plane.name}: the extranet's shared VRF (demo)` });
    const v4 = newId();
    const v6 = newId();
    const v6root = `240e:6b${i}::/32`;
    await demoRepo.insertPlaneAggregates(db, { v4Id: v4, v6Id: v6, vrfId: vrf, planeId: plane.id, v6Root: v6root });
    prefixes += await demoRepo.assignUnitPrefixes(db, { vrfId: vrf, v4Id: v4, v6Id: v6, v6Root: v6root, planeId: plane.id, planeIndex: i });
  }
  return { vrfs, prefixes };
}

/** Both planes attach every registered cloud at its region's PE, in the plane's VRF, with a /24 and a /48. */
async function attachClouds(db: Queryable, vrfs: Map<string, string>): Promise<number> {
  const clouds = await demoRepo.clouds(db);
  let n = 0;
  for (const [i, c] of clouds.entries()) {
    for (const [p, plane] of DEMO_PLANES.entries()) {
      const pe = await demoRepo.regionPe(db, c.region, plane.id);
      if (!pe) continue;
      // Private 172.16.0.0/12 space, one /24 per cloud and plane.
      const net = `172.${16 + Math.floor(i / 8)}.${(i % 8) * 2 + p}`;
      const [v4, v6] = [`${net}.0/24`, `240e:6c${p}:${(i + 1).toString(16)}::/48`];
      await attachmentsRepo.upsert(db, {
        cloudId: c.id, planeId: plane.id, peDeviceId: pe.id, vrfId: vrfs.get(plane.id) ?? null, prefixV4: v4, prefixV6: v6,
        probeV4: `${net}.1`, probeV6: `240e:6c${p}:${(i + 1).toString(16)}::1`, state: 'up',
      });
      // The same prefixes in IPAM, so onboarding can hand systems their addresses from them (system-addresses.ts).
      if (vrfs.has(plane.id)) {
        await demoRepo.insertCloudPrefixes(db, { vrfId: vrfs.get(plane.id), v4, v6, planeId: plane.id, description: `cloud ${c.id} on ${plane.id}` });
      }
      n++;
    }
  }
  return n;
}

/**
 * First start of a fresh database: the synthesised extranet with addressing, cloud attachments, demo
 * departments with business systems and a department network being migrated (demo-systems.ts), an
 * inventory reachability sweep, today's snapshot and a month of back-filled snapshots marked `demo`
 * (so the "over time" chart has a shape before real days accumulate). Does nothing once units exist.
 */
export async function seedExtranetDemo(store: Store, opts: { villagesPerTownship: number }): Promise<null | Record<string, number>> {
  return store.transaction(async (tx) => {
    await lockForTransaction(tx, 'extranetDemo');
    if ((await demoRepo.unitCount(tx)) > 0) return null;
    const built = await synthesiseExtranet(tx, { villagesPerTownship: opts.villagesPerTownship });
    const { vrfs, prefixes } = await synthesiseAddressing(tx);
    const attachments = await attachClouds(tx, vrfs);
    const systems = await seedDemoSystems(tx, vrfs);
    await sweepReachability(tx);
    await takeSnapshot(tx, { source: 'daily' });
    // Past days scaled down from today's figures, marked `demo` so nobody mistakes them for history.
    await reachabilityRepo.backfillDemo(tx, 30);
    return { units: built.units, devices: built.devices, links: built.links, prefixes, attachments, systems };
  });
}
