/**
 * Ganyun specs ↔ Kubernetes objects: a tenant space is a Namespace + ResourceQuota +
 * LimitRange + default-deny NetworkPolicy + RoleBinding; a workload is a Deployment.
 * Pure functions, no I/O.
 */
import type { V1Deployment, V1LimitRange, V1Namespace, V1NetworkPolicy, V1NetworkPolicyPeer, V1ResourceQuota, V1RoleBinding } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { stableStringify } from '../spec-diff.ts';
import type { CpuArch, Quota, Resource, ResourceSpec, ResourceState, TenantSpace, TenantSpaceSpec } from '../spi.ts';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_SELECTOR = `${MANAGED_BY}=ganyun`;
export const ANN = {
  spec: 'ganyun.gov.cn/spec',
  idempotencyKey: 'ganyun.gov.cn/idempotency-key',
  fingerprint: 'ganyun.gov.cn/request-fingerprint',
  updatedAt: 'ganyun.gov.cn/updated-at',
} as const;
export const LABEL = {
  department: 'ganyun.gov.cn/department',
  system: 'ganyun.gov.cn/system',
  tenant: 'ganyun.gov.cn/tenant',
  workload: 'ganyun.gov.cn/workload',
  keyHash: 'ganyun.gov.cn/idempotency-key-hash',
  resource: 'ganyun.gov.cn/resource',
  request: 'ganyun.gov.cn/request',
} as const;
export const QUOTA_NAME = 'ganyun-quota';
export const LIMITS_NAME = 'ganyun-limits';
export const POLICY_NAME = 'ganyun-default-deny';
export const BINDING_NAME = 'ganyun-department-edit';

const ARCH_TO_KUBE: Readonly<Record<CpuArch, string>> = { x86_64: 'amd64', arm64: 'arm64', loongarch64: 'loong64' };
export const archFromKube = (a: string | undefined): CpuArch | undefined =>
  (Object.entries(ARCH_TO_KUBE) as [CpuArch, string][]).find(([, k]) => k === a)?.[0];
export const archToKube = (a: CpuArch): string => ARCH_TO_KUBE[a];

export interface TenantObjectsOptions {
  readonly extranetCidrs: readonly string[];
  /** Group bound to ClusterRole `edit`; undefined when the space names no department. */
  readonly departmentGroup?: string;
}

export interface MutationStamp {
  readonly idempotencyKey: string;
  readonly fingerprint: string;
  readonly at: string;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Ganyun's label names (a tenant space's `department`, a resource's `ganyun.system`…) → the cluster's. */
const LABEL_NAMES: Readonly<Record<string, string>> = {
  department: LABEL.department, system: LABEL.system,
  'ganyun.department': LABEL.department, 'ganyun.system': LABEL.system, 'ganyun.resource': LABEL.resource, 'ganyun.request': LABEL.request,
};
/** Ganyun labels that are valid Kubernetes label values become labels; all of them stay in the spec annotation. */
export function kubeLabels(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    const name = LABEL_NAMES[k];
    if (name !== undefined && LABEL_VALUE.test(v) && v.length <= 63) out[name] = v;
  }
  return out;
}

export const keyHash = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 40);
export const fingerprint = (op: string, body: unknown): string => createHash('sha256').update(`${op}:${stableStringify(body)}`).digest('hex');

export function stampMeta(stamp: MutationStamp, spec: unknown): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: { [MANAGED_BY]: 'ganyun', [LABEL.keyHash]: keyHash(stamp.idempotencyKey) },
    annotations: { [ANN.spec]: JSON.stringify(spec), [ANN.idempotencyKey]: stamp.idempotencyKey, [ANN.fingerprint]: stamp.fingerprint, [ANN.updatedAt]: stamp.at },
  };
}

// ---------------------------------------------------------------- tenant spaces

export function namespaceFor(spec: TenantSpaceSpec, stamp: MutationStamp): V1Namespace {
  const m = stampMeta(stamp, spec);
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.name, labels: { ...m.labels, ...kubeLabels(spec.labels) }, annotations: m.annotations } };
}

const GI = 2 ** 30;
export function quotaHard(q: Quota): Record<string, string> {
  return { 'requests.cpu': String(q.vcpu), 'requests.memory': `${q.memoryGiB}Gi`, 'requests.storage': `${q.storageGiB}Gi`, 'requests.nvidia.com/gpu': String(q.gpu) };
}

export function quotaFromKube(hard: Record<string, string> | undefined): Quota {
  const h = hard ?? {};
  return { vcpu: quantity(h['requests.cpu']), memoryGiB: quantity(h['requests.memory']) / GI, storageGiB: quantity(h['requests.storage']) / GI, gpu: quantity(h['requests.nvidia.com/gpu']) };
}

export function resourceQuotaFor(spec: TenantSpaceSpec): V1ResourceQuota {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: QUOTA_NAME, namespace: spec.name, labels: { [MANAGED_BY]: 'ganyun', [LABEL.tenant]: spec.name } }, spec: { hard: quotaHard(spec.quota) } };
}

export function limitRangeFor(spec: TenantSpaceSpec): V1LimitRange {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: LIMITS_NAME, namespace: spec.name, labels: { [MANAGED_BY]: 'ganyun' } },
    spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, _default: { cpu: '1', memory: '1Gi' } }] },
  };
}

/** Deny everything, then allow the namespace itself, the extranet ranges and DNS. */
export function networkPolicyFor(spec: TenantSpaceSpec, cidrs: readonly string[]): V1NetworkPolicy {
  const peers: V1NetworkPolicyPeer[] = [{ podSelector: {} }, ...cidrs.map((cidr) => ({ ipBlock: { cidr } }))];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: POLICY_NAME, namespace: spec.name, labels: { [MANAGED_BY]: 'ganyun' } },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ _from: peers }],
      egress: [{ to: peers }, { to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    },
  };
}

export function roleBindingFor(spec: TenantSpaceSpec, group: string): V1RoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: BINDING_NAME, namespace: spec.name, labels: { [MANAGED_BY]: 'ganyun' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
  };
}

export function tenantSpaceFrom(ns: V1Namespace, quota: Quota | undefined, usage: Quota): TenantSpace {
  const stated = parseSpec<TenantSpaceSpec>(ns.metadata?.annotations?.[ANN.spec]);
  const name = ns.metadata?.name ?? '';
  const spec: TenantSpaceSpec = { ...(stated ?? { name }), name, quota: quota ?? stated?.quota ?? { vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 } };
  return {
    spec,
    usage,
    state: ns.metadata?.deletionTimestamp !== undefined || ns.status?.phase === 'Terminating' ? 'deleting' : 'active',
    createdAt: iso(ns.metadata?.creationTimestamp),
    updatedAt: ns.metadata?.annotations?.[ANN.updatedAt] ?? iso(ns.metadata?.creationTimestamp),
  };
}

// ---------------------------------------------------------------- workloads

export function deploymentFor(spec: ResourceSpec, stamp: MutationStamp): V1Deployment {
  const m = stampMeta(stamp, spec);
  const perReplica: Record<string, string> = { cpu: String(spec.size.vcpu ?? 0), memory: `${spec.size.memoryGiB ?? 0}Gi` };
  const limits: Record<string, string> = { ...perReplica, ...((spec.size.gpu ?? 0) > 0 ? { 'nvidia.com/gpu': String(spec.size.gpu) } : {}) };
  const requests: Record<string, string> = { ...limits };
  const selector = { [LABEL.workload]: spec.name };
  const nodeSelector: Record<string, string> = { 'kubernetes.io/arch': archToKube(spec.arch ?? 'x86_64') };
  if (spec.zone !== undefined) nodeSelector['topology.kubernetes.io/zone'] = spec.zone;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.tenant, labels: { ...kubeLabels(spec.labels), ...m.labels, [LABEL.workload]: spec.name, [LABEL.tenant]: spec.tenant }, annotations: m.annotations },
    spec: {
      replicas: spec.size.replicas ?? 1,
      selector: { matchLabels: selector },
      template: {
        // The system's labels on the pods too: the tenant's NetworkPolicy and the cluster's own tools select by them.
        metadata: { labels: { ...kubeLabels(spec.labels), ...selector, [MANAGED_BY]: 'ganyun' } },
        spec: { nodeSelector, containers: [{ name: 'main', image: spec.image ?? '', resources: { requests, limits } }] },
      },
    },
  };
}

/** The spec as the cluster has it: size, image, arch and zone from the Deployment itself. */
export function resourceFrom(d: V1Deployment): Resource {
  const stated = parseSpec<ResourceSpec>(d.metadata?.annotations?.[ANN.spec]);
  const pod = d.spec?.template?.spec;
  const ctr = pod?.containers?.[0];
  const req = (ctr?.resources?.requests ?? {}) as Record<string, string>;
  const arch = archFromKube(pod?.nodeSelector?.['kubernetes.io/arch']);
  const zone = pod?.nodeSelector?.['topology.kubernetes.io/zone'];
  const gpu = quantity(req['nvidia.com/gpu']);
  const size = { ...stated?.size, vcpu: quantity(req['cpu']), memoryGiB: quantity(req['memory']) / GI, replicas: d.spec?.replicas ?? 1, ...(gpu > 0 ? { gpu } : {}) };
  if (gpu === 0) delete (size as { gpu?: number }).gpu;
  const spec: ResourceSpec = {
    ...stated,
    tenant: d.metadata?.namespace ?? '',
    kind: 'workload',
    name: d.metadata?.name ?? '',
    ...(ctr?.image !== undefined ? { image: ctr.image } : {}),
    ...(arch !== undefined ? { arch } : {}),
    ...(zone !== undefined ? { zone } : {}),
    size,
  };
  return {
    id: d.metadata?.uid ?? '',
    spec,
    state: workloadState(d),
    zone: zone ?? 'default',
    ...(stated?.vendor !== undefined ? { vendor: stated.vendor } : {}),
    createdAt: iso(d.metadata?.creationTimestamp),
    updatedAt: d.metadata?.annotations?.[ANN.updatedAt] ?? iso(d.metadata?.creationTimestamp),
  };
}

export function workloadState(d: V1Deployment): ResourceState {
  if (d.metadata?.deletionTimestamp !== undefined) return 'deleting';
  const want = d.spec?.replicas ?? 1;
  const ready = d.status?.readyReplicas ?? 0;
  const observed = d.status?.observedGeneration ?? 0;
  if (observed >= (d.metadata?.generation ?? 1) && ready >= want) return 'running';
  return observed > 0 ? 'updating' : 'pending';
}

/** Per-replica requests × replicas, in Ganyun's resource classes. */
export function deploymentDemand(d: V1Deployment): Quota {
  const n = d.spec?.replicas ?? 1;
  const total = { vcpu: 0, memoryGiB: 0, storageGiB: 0, gpu: 0 };
  for (const c of d.spec?.template?.spec?.containers ?? []) {
    const r = (c.resources?.requests ?? {}) as Record<string, string>;
    total.vcpu += quantity(r['cpu']) * n;
    total.memoryGiB += (quantity(r['memory']) / GI) * n;
    total.gpu += quantity(r['nvidia.com/gpu']) * n;
  }
  return total;
}

/** Kubernetes quantities (`500m`, `2`, `128Gi`) in base units; 0 when absent or unreadable. */
export function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q).trim());
  const mult: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  if (!m || !(m[2] in mult)) return 0;
  return Math.round(Number(m[1]) * mult[m[2]] * 1e6) / 1e6;
}

export function parseSpec<T>(s: string | undefined): T | undefined {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}

export function iso(d: Date | string | undefined): string {
  if (d === undefined) return new Date(0).toISOString();
  return typeof d === 'string' ? d : d.toISOString();
}
