import { checkCharacter } from '../domain/credit-code.ts';
import { newId } from '../ids.ts';
import { ensureSystemNode } from '../quotas/nodes.ts';
import { departmentsRepo } from '../departments/departments-repo.ts';
import type { Queryable } from '../store/store.ts';
import { demoRepo } from './demo-repo.ts';

/**
 * Demo departments and business systems for the access-check tool, and one department network (部门专网)
 * being migrated: its own VRF with space that overlaps the extranet's, a NAT mapping onto extranet space, and
 * the department's city sites addressed inside it (so a check from one of them to another department's system
 * shows "VRF not imported"). Names carry "（演示）" so they are never mistaken for real ones. Only on a database
 * without departments.
 */
export async function seedDemoSystems(db: Queryable, extranetVrfs: Map<string, string>): Promise<number> {
  const n = await demoRepo.departmentCount(db);
  if (n > 0 || !extranetVrfs.size) return 0;
  const clouds = await demoRepo.cloudsForDemoSystems(db);
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
      await demoRepo.insertSystem(db, { id: systemId, departmentId: id, name, cloudId: clouds[i % clouds.length] });
      await ensureSystemNode(db, { systemId, departmentId: id });
      systems++;
    }
  }

  // The police department's private network: 10.0.0.0/16 inside (overlapping the extranet's 10/8), NATed to
  // 10.250.0.0/16 on plane 1; its city sites are addressed in it.
  const vrf = newId();
  await demoRepo.insertPoliceVrf(db, vrf, deptIds[1]);
  const root = newId();
  await demoRepo.insertPoliceRoot(db, root, vrf);
  await demoRepo.insertPoliceNat(db, newId(), vrf, extranetVrfs.get('plane-1')!);
  await demoRepo.movePoliceSites(db, vrf, root);
  return systems;
}
