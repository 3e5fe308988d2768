import type { CloudFacts, PolicyInput, SystemFacts } from '../types.ts';

/**
 * A compliant starting point for the specs: each case changes one field of it. The system is ordinary
 * (等保 2, internal data, x86_64, DR level 2); the cloud can host anything short of 等保 4.
 */
export const compliantSystem = (): SystemFacts => ({
  name: '社保查询', mlpsLevel: 2, dataClassification: 'internal', xinchuangRequired: false,
  architectures: ['x86_64'], drLevel: 2, drEdition: '2025',
});

export const compliantCloud = (over: Partial<CloudFacts> = {}): CloudFacts => ({
  id: 'nanchang', region: '3601', kind: 'general', certifications: [2, 3], siteRoles: ['production', 'same-city-dr'],
  dualActive: true, enabled: true, architectures: ['x86_64', 'arm64'], ...over,
});

export function compliantInput(): PolicyInput {
  const cloud = compliantCloud();
  return { system: compliantSystem(), cloud, clouds: [cloud, compliantCloud({ id: 'jx-province', certifications: [2, 3, 4] })], quota: { fits: true, needsApproval: false, shortfalls: [] } };
}

/** The compliant input with one change to the system, the judged cloud, or the input. */
export function withSystem(change: Partial<SystemFacts>): PolicyInput {
  const input = compliantInput();
  return { ...input, system: { ...input.system, ...change } };
}

export function withCloud(change: Partial<CloudFacts>): PolicyInput {
  const input = compliantInput();
  const cloud = { ...input.cloud!, ...change };
  return { ...input, cloud, clouds: input.clouds.map((c) => (c.id === cloud.id ? cloud : c)) };
}
