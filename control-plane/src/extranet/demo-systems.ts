import { checkCharacter } from '../domain/credit-code.ts';
import { newId } from '../ids.ts';
import { ensureSystemNode } from '../quotas/nodes.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import type { Queryable } from '../store/store.ts';

/**
 * Demo departments and business systems for the access-check tool, and one department network (部门专网)
 * being migrated: its own VRF with space that overlaps the extranet's, a NAT mapping onto extranet space, and
 * the department's city sites addressed inside it (so a check from one of them to another department's system
 * shows "VRF not imported"). Names carry "（演示）" so they are never mistaken for real ones. Only on a database
 * without departments.
 */
export async function seedDemoSystems(db: Queryable, extranetVrfs: Map<string, string>): Promise<number> {
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM departments')) as [{ n: number }];
  if (n > 0 || !extranetVrfs.size) return 0;
  // Clouds the demo systems (等保 3, DR level 4) may really be on: certified for level 3, with a same-city DR site.
  const clouds = (await db.query<{ id: string }>(
    `SELECT id FROM clouds WHERE 3 = ANY(certifications) AND 'same-city-dr' = ANY(site_roles) ORDER BY (id = 'jx-province') DESC, id LIMIT 2`,
  )).map((c) => c.id);
  if (!clouds.length) return 0;
  const departments = [
    { name: '江西省人力资源和社会保障厅（演示）', body: '11360000014500001', systems: ['社会保障卡服务系统', '就业创业服务平台'] },
    { name: '江西省公安厅（演示）', body: '11360000014500002', systems: ['警务综合平台'] },
  ];
  let systems = 0;
  const deptIds: string[] = [];
  for (const d of departments) {
    const id = newId();
    deptIds.push(id);
    await departmentsRepo.insert(db, { id, name: d.name, creditCode: d.body + checkCharacter(d.body), parentId: null, divisionCode: '36' });
    for (const [i, name] of d.systems.entries()) {
      const systemId = newId();
      await db.query(
        `INSERT INTO business_systems (id, department_id, name, description, mlps_level, data_classification, architectures, dr_level, dr_edition,
                                       rpo_seconds, rto_seconds, status, cloud_id)
         VALUES ($1, $2, $3, '演示数据', 3, 'internal', '{x86_64}', 4, '2007', 900, 3600, 'on-cloud', $4)`,
        [systemId, id, name, clouds[i % clouds.length]],
      );
      await ensureSystemNode(db, { systemId, departmentId: id });
      systems++;
    }
  }

  // The police department's private network: 10.0.0.0/16 inside (overlapping the extranet's 10/8), NATed to
  // 10.250.0.0/16 on plane 1; its city sites are addressed in it.
  const vrf = newId();
  await db.query(
    `INSERT INTO ipam_vrfs (id, name, rd, import_targets, export_targets, plane_id, department_id, kind, migration_state, description)
     VALUES ($1, 'DEPT-GA', '65010:1', '{65010:1}', '{65010:1}', 'plane-1', $2, 'department', 'in-progress', '公安专网迁入外网（演示）')`,
    [vrf, deptIds[1]],
  );
  const root = newId();
  await db.query(`INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id, description) VALUES ($1, $2, '10.0.0.0/16', 'ipv4', 0, 'aggregate', 'plane-1', '公安专网原有地址')`, [root, vrf]);
  await db.query(
    `INSERT INTO ipam_nat_mappings (id, inside_vrf_id, inside_cidr, outside_vrf_id, outside_cidr, description)
     VALUES ($1, $2, '10.0.0.0/16', $3, '10.250.0.0/16', '迁移期间的地址转换（演示）')`,
    [newId(), vrf, extranetVrfs.get('plane-1')!],
  );
  const sites = `SELECT code FROM access_units WHERE site_kind = 'department-site' AND level = 'site' AND name LIKE '%公安局' AND county_code IS NULL`;
  // Their plane-1 IPv4 space moves from the shared VRF into the department's (demo allocations only).
  await db.query(`DELETE FROM ipam_prefixes WHERE unit_code IN (${sites}) AND plane_id = 'plane-1' AND family = 'ipv4' AND kind = 'assigned'`);
  await db.query(
    `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, parent_id, parent_depth, parent_cidr, depth, kind, unit_code, plane_id)
     SELECT gen_random_uuid(), $1::uuid, set_masklen(('10.0.' || row_number() OVER (ORDER BY code) || '.0')::inet, 24)::cidr, 'ipv4', $2::uuid, 0, '10.0.0.0/16', 1, 'assigned', code, 'plane-1'
     FROM (${sites}) AS s`,
    [vrf, root],
  );
  return systems;
}
