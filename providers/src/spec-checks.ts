/**
 * Shared rules about specs: what each resource kind must carry, what it consumes against
 * a tenant quota, and quota arithmetic. Every provider applies the same rules so that a
 * spec valid on one cloud is valid on all (only capacity and catalogue differ).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { CPU_ARCHES, CPU_VENDORS, RESOURCE_CLASSES, RESOURCE_KINDS, type Quota, type ResourceClass, type ResourceRef, type ResourceSpec, type TenantSpaceSpec } from './spi.ts';

/** DNS-label names, as Kubernetes namespaces and most cloud projects accept. */
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const ZERO_QUOTA: Quota = Object.freeze({ vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 });

export function addQuota(a: Quota, b: Quota, sign: 1 | -1 = 1): Quota {
  return {
    vcpu: a.vcpu + sign * b.vcpu,
    memoryGiB: a.memoryGiB + sign * b.memoryGiB,
    storageGiB: a.storageGiB + sign * b.storageGiB,
    gpu: a.gpu + sign * b.gpu,
  };
}

/** Classes where `usage` would exceed `limit`. */
export function exceededClasses(usage: Quota, limit: Quota): ResourceClass[] {
  return RESOURCE_CLASSES.filter((c) => usage[c] > limit[c]);
}

/** What a resource consumes from its tenant's quota (workload sizes are per replica). */
export function demandOf(spec: ResourceSpec): Quota {
  const n = spec.kind === 'workload' ? (spec.size.replicas ?? 1) : 1;
  return {
    vcpu: (spec.size.vcpu ?? 0) * n,
    memoryGiB: (spec.size.memoryGiB ?? 0) * n,
    storageGiB: (spec.size.storageGiB ?? 0) * n,
    gpu: (spec.size.gpu ?? 0) * n,
  };
}

export function resourceKey(ref: ResourceRef): string {
  return `resource:${ref.tenant}/${ref.kind}/${ref.name}`;
}

export function tenantSpaceKey(name: string): string {
  return `tenant-space:${name}`;
}

function isCount(n: unknown): boolean {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

export function tenantSpaceProblems(spec: TenantSpaceSpec): string[] {
  const problems: string[] = [];
  if (!NAME.test(spec.name)) problems.push(`name "${spec.name}" must be a DNS label`);
  for (const c of RESOURCE_CLASSES) {
    if (!isCount(spec.quota?.[c])) problems.push(`quota.${c} must be a non-negative number`);
  }
  return problems;
}

export function resourceProblems(spec: ResourceSpec): string[] {
  const problems: string[] = [];
  if (!NAME.test(spec.name)) problems.push(`name "${spec.name}" must be a DNS label`);
  if (!NAME.test(spec.tenant)) problems.push(`tenant "${spec.tenant}" must be a DNS label`);
  if (!(RESOURCE_KINDS as readonly string[]).includes(spec.kind)) problems.push(`kind "${spec.kind}" is unknown`);
  if (spec.arch !== undefined && !(CPU_ARCHES as readonly string[]).includes(spec.arch))
    problems.push(`arch "${spec.arch}" is unknown`);
  if (spec.vendor !== undefined && !(CPU_VENDORS as readonly string[]).includes(spec.vendor))
    problems.push(`vendor "${spec.vendor}" is unknown`);
  const size = spec.size ?? {};
  for (const [k, v] of Object.entries(size)) {
    if (v !== undefined && !isCount(v)) problems.push(`size.${k} must be a non-negative number`);
  }
  const need = (cond: boolean, msg: string): void => {
    if (!cond) problems.push(msg);
  };
  switch (spec.kind) {
    case 'vm':
      need(spec.arch !== undefined, 'a vm needs arch');
      need(spec.image !== undefined, 'a vm needs image');
      need((size.vcpu ?? 0) > 0 && (size.memoryGiB ?? 0) > 0, 'a vm needs size.vcpu and size.memoryGiB');
      break;
    case 'workload':
      need(spec.arch !== undefined, 'a workload needs arch');
      need(spec.image !== undefined, 'a workload needs image');
      need((size.replicas ?? 0) >= 1 && Number.isInteger(size.replicas), 'a workload needs integer size.replicas >= 1');
      need((size.vcpu ?? 0) > 0 && (size.memoryGiB ?? 0) > 0, 'a workload needs size.vcpu and size.memoryGiB');
      break;
    case 'volume':
      need((size.storageGiB ?? 0) > 0, 'a volume needs size.storageGiB');
      break;
    case 'network-segment':
      need(spec.cidr !== undefined && isCidr(spec.cidr), `a network-segment needs a valid cidr (got ${spec.cidr})`);
      break;
  }
  return problems;
}

export function isCidr(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  if (extra !== undefined || addr === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (isIPv4(addr)) return n <= 32;
  if (isIPv6(addr)) return n <= 128;
  return false;
}
