import { catalogue } from '@ganyun/policies';
import type { CloudRecord } from '../federation/clouds-repo.ts';
import type { SystemFields } from '../systems/systems-repo.ts';
import { choosePlacement } from './placement.ts';

/** Registry rows as the federation keeps them; capacity lines give architectures and free vCPU. */
const cloud = (id: string, over: Partial<CloudRecord> & { free?: number; arch?: string } = {}): CloudRecord => {
  const { free = 100, arch = 'x86_64', ...rest } = over;
  return {
    id, name: id, nameEn: id, providerKind: 'simulated', endpoint: null, region: '3601', regionName: '南昌市', kind: 'general',
    siteRoles: ['production'], certifications: [2, 3], dualActive: false, enabled: true, config: { level: 'city' },
    capacity: [{ arch, vendor: 'intel', resourceClass: 'vcpu', total: free, used: 0, overcommit: 1 }], ...rest,
  };
};

const system: SystemFields = {
  name: '系统', ownerUserId: null, description: '', mlpsLevel: 2, dataClassification: 'internal', xinchuangRequired: false,
  architectures: ['x86_64'], drLevel: 2, drEdition: '2025', rpoSeconds: 0, rtoSeconds: 0,
};

describe('placement', () => {
  const cases: { why: string; clouds: CloudRecord[]; division: string; system?: Partial<SystemFields>; only?: string; chosen: string | null; order: string[] }[] = [
    {
      why: 'a city department prefers its city cloud over a bigger province cloud and another city',
      clouds: [cloud('province', { config: { level: 'province' }, free: 900 }), cloud('nanchang', { free: 10 }), cloud('ganzhou', { region: '3607', free: 500 })],
      division: '360102', chosen: 'nanchang', order: ['nanchang', 'province', 'ganzhou'],
    },
    {
      why: 'a province-level department prefers province-level clouds',
      clouds: [cloud('nanchang', { free: 900 }), cloud('province', { config: { level: 'province' }, free: 10 })],
      division: '36', chosen: 'province', order: ['province', 'nanchang'],
    },
    {
      why: 'between equally near clouds the one with more free vCPU wins',
      clouds: [cloud('a', { region: '3604', free: 10 }), cloud('b', { region: '3605', free: 50 })],
      division: '3601', chosen: 'b', order: ['b', 'a'],
    },
    {
      why: 'a disabled cloud and an arm64-only cloud are excluded',
      clouds: [cloud('off', { enabled: false }), cloud('arm', { arch: 'arm64' }), cloud('ok', { region: '3602' })],
      division: '3601', chosen: 'ok', order: ['ok', 'arm', 'off'],
    },
    {
      why: 'a named cloud is judged alone',
      clouds: [cloud('nanchang'), cloud('other', { region: '3602' })],
      division: '3601', only: 'other', chosen: 'other', order: ['other'],
    },
    {
      why: 'a classified system is placed nowhere',
      clouds: [cloud('nanchang')], division: '3601', system: { dataClassification: 'classified' }, chosen: null, order: ['nanchang'],
    },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const p = choosePlacement(catalogue(), { ...system, ...c.system }, c.clouds, { departmentDivision: c.division, onlyCloud: c.only });
      expect(p.chosen).toBe(c.chosen);
      expect(p.candidates.map((x) => x.cloudId)).toEqual(c.order);
      expect(p.candidates.every((x) => x.reasons.length > 0)).toBeTrue();
    });
  }

  it('says why a cloud was excluded and why the choice was made', () => {
    const p = choosePlacement(catalogue(), system, [cloud('nanchang'), cloud('off', { enabled: false })], { departmentDivision: '3601' });
    expect(p.candidates[0]!.reasons.map((r) => r.en).slice(0, 3)).toEqual(['chosen: meets every rule and ranks first', "in the department's city", '100 vCPU free']);
    expect(p.candidates[1]!.reasons.map((r) => r.en)).toEqual(['the cloud is disabled']);
  });
});
