import { newId } from '../ids.ts';
import { lockForTransaction } from '../store/locks.ts';
import type { Store, Queryable } from '../store/store.ts';
import { seedDemoSystems } from './demo-systems.ts';
import { attachmentsRepo } from './inventory-repo.ts';
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
  const [existing] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_prefixes WHERE unit_code IS NOT NULL');
  if (existing!.n > 0) return { vrfs, prefixes: 0 };
  let prefixes = 0;
  for (const [i, plane] of DEMO_PLANES.entries()) {
    const vrf = newId();
    const rt = `65000:${i + 1}00`;
    vrfs.set(plane.id, vrf);
    await db.query(
      `INSERT INTO ipam_vrfs (id, name, rd, import_targets, export_targets, plane_id, kind, description)
       VALUES ($1, $2, $3, $4, $4, $5, 'extranet', $6)`,
      [vrf, `extranet-${plane.id}`, rt, [rt], plane.id, `${plane.name}: the extranet's shared VRF (demo)`],
    );
    const v4 = newId();
    const v6 = newId();
    const v6root = `240e:6b${i}::/32`;
    await db.query(
      `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id, description)
       VALUES ($1, $3, '10.0.0.0/8', 'ipv4', 0, 'aggregate', $4, 'demo aggregate'), ($2, $3, $5::cidr, 'ipv6', 0, 'aggregate', $4, 'demo aggregate')`,
      [v4, v6, vrf, plane.id, v6root],
    );
    // Deterministic share by a hash of the code: 95 % above village level, 55 % of villages; IPv6 for 4 in 5 of those.
    const rows = await db.query(
      `WITH chosen AS (
         SELECT code, row_number() OVER (ORDER BY code) AS n, abs(hashtext(code || $6)) % 100 AS h
         FROM access_units WHERE abs(hashtext(code || $6)) % 100 < CASE level WHEN 'village' THEN 55 ELSE 95 END)
       INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, depth, kind, unit_code, plane_id)
       SELECT gen_random_uuid(), $1::uuid, set_masklen('10.0.0.0'::inet + n * 8, 29)::cidr, 'ipv4', $2::uuid, 0, '10.0.0.0/8', 1, 'assigned', code, $5 FROM chosen
       UNION ALL
       SELECT gen_random_uuid(), $1::uuid, format('240e:6b%s:%s:%s::/64', $7::text, to_hex(n >> 16), to_hex(n & 65535))::cidr, 'ipv6', $3::uuid, 0, $4::cidr, 1, 'assigned', code, $5
       FROM chosen WHERE h < 76
       RETURNING 1`,
      [vrf, v4, v6, v6root, plane.id, plane.id, String(i)],
    );
    prefixes += rows.length;
  }
  return { vrfs, prefixes };
}

/** Both planes attach every registered cloud at its region's PE, in the plane's VRF, with a /24 and a /48. */
async function attachClouds(db: Queryable, vrfs: Map<string, string>): Promise<number> {
  const clouds = await db.query<{ id: string; region: string }>('SELECT id, region FROM clouds ORDER BY id');
  let n = 0;
  for (const [i, c] of clouds.entries()) {
    for (const [p, plane] of DEMO_PLANES.entries()) {
      const [pe] = await db.query<{ id: string }>(
        `SELECT id FROM extranet_devices WHERE role = 'pe' AND name LIKE $1 AND (plane_id = $2 OR plane_id IS NULL) ORDER BY name LIMIT 1`,
        [`PE-${c.region}-%`, plane.id],
      );
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
        await db.query(
          `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id, description)
           VALUES (gen_random_uuid(), $1, $2::cidr, 'ipv4', 0, 'aggregate', $4, $5), (gen_random_uuid(), $1, $3::cidr, 'ipv6', 0, 'aggregate', $4, $5)`,
          [vrfs.get(plane.id), v4, v6, plane.id, `cloud ${c.id} on ${plane.id}`],
        );
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
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM access_units');
    if (row!.n > 0) return null;
    const built = await synthesiseExtranet(tx, { villagesPerTownship: opts.villagesPerTownship });
    const { vrfs, prefixes } = await synthesiseAddressing(tx);
    const attachments = await attachClouds(tx, vrfs);
    const systems = await seedDemoSystems(tx, vrfs);
    await sweepReachability(tx);
    await takeSnapshot(tx, { source: 'daily' });
    await backfillDemoSnapshots(tx, 30);
    return { units: built.units, devices: built.devices, links: built.links, prefixes, attachments, systems };
  });
}

/** Past days scaled down from today's figures (a steady roll-out), marked `demo` so nobody mistakes them for history. */
async function backfillDemoSnapshots(db: Queryable, days: number): Promise<void> {
  await db.query(
    `INSERT INTO extranet_snapshots (day, scope_code, units, dual_plane, single_homed, ipv6_ready, cells, source)
     SELECT s.day - d, s.scope_code, s.units,
            round(s.dual_plane * (1 - d * 0.006))::int, round(s.single_homed * (1 + d * 0.004))::int, round(s.ipv6_ready * (1 - d * 0.018))::int,
            '[]'::jsonb, 'demo'
     FROM extranet_snapshots s CROSS JOIN generate_series(1, $1::int) AS d
     ON CONFLICT (day, scope_code) DO NOTHING`,
    [days],
  );
}
