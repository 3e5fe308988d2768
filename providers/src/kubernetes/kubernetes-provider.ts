/**
 * The Kubernetes provider: Ganyun's Provider SPI over @kubernetes/client-node 1.4.0.
 * Tenant space = Namespace (+ ResourceQuota, LimitRange, default-deny NetworkPolicy,
 * RoleBinding of the department's group to ClusterRole `edit`); `workload` = Deployment, `volume` =
 * PersistentVolumeClaim, `vm` = KubeVirt VirtualMachine when the cluster serves it (kube-vm-volume.ts). Other
 * kinds are refused as data (`capabilities.resourceKinds`) and with `invalid` / `unsupported-kind`.
 * Errors are mapped in kube-errors.ts only.
 */
import { ApisApi, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api, PatchStrategy, RbacAuthorizationV1Api, setHeaderOptions, VersionApi, type V1Deployment } from '@kubernetes/client-node';
import { ProviderError } from '../errors.ts';
import type { ProviderFeatures } from '../features.ts';
import { tenantSpaceProblems } from '../spec-checks.ts';
import { diffSpecs } from '../spec-diff.ts';
import { PROVIDER_API_VERSION, type CallOptions, type CapacityReport, type ConnectInfo, type CreateOutcome, type DeleteOutcome, type HealthReport, type InventoryPage, type InventoryRequest, type MutationOptions, type MutationResult, type NetworkFacts, type KeyObservation, type KeyedOp, type Observation, type Provider, type ReplicationLink, type Resource, type ResourceRef, type ResourceSpec, type TenantSpace, type TenantSpaceSpec, type UpdateOutcome } from '../spi.ts';
import { callCluster, ensureExists, withConflictRetry } from './kube-calls.ts';
import { loadKubeConfig, type KubernetesProviderOptions } from './kube-connection.ts';
import { MutationLedger } from './kube-ledger.ts';
import { KubeReads } from './kube-reads.ts';
import { allNodes, capabilitiesOf, capacityPools, healthOf, nodeInfos, uniq } from './kube-facts.ts';
import { statusOf } from './kube-errors.ts';
import { platformOf, readiness, zoneOf, type NodeInfo, type WorkloadReadiness } from './kube-nodes.ts';
import { listPage, type InventoryDeps } from './kube-inventory.ts';
import { ANN, deploymentFor, fingerprint, keyHash, LABEL, limitRangeFor, MANAGED_SELECTOR, namespaceFor, networkPolicyFor, QUOTA_NAME, quotaHard, resourceFrom, resourceQuotaFor, roleBindingFor, type MutationStamp } from './kube-objects.ts';

import { kubernetesDr } from './kube-dr.ts';
import { KubeVmsAndVolumes } from './kube-vm-volume.ts';
import type { DrOperations } from '../dr.ts';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export type { KubernetesConnection, KubernetesLogger, KubernetesProviderOptions } from './kube-connection.ts';
export type { NodeInfo, WorkloadReadiness } from './kube-nodes.ts';

export class KubernetesProvider implements Provider {
  readonly kind = 'kubernetes';
  readonly cloudId: string;
  private readonly kc = new KubeConfig();
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly net: NetworkingV1Api;
  private readonly rbac: RbacAuthorizationV1Api;
  private readonly version: VersionApi;
  private readonly inv: InventoryDeps;
  private readonly ledger = new MutationLedger();
  private readonly maxPageSize: number;
  /** Reads of tenant spaces and workloads, and the checks that need them. */
  private readonly reads: KubeReads;
  /** Volumes and, with KubeVirt, hosts (kube-vm-volume.ts). */
  private readonly vmsAndVolumes: KubeVmsAndVolumes;
  /** Standby Deployments and drill sandboxes (kube-dr.ts); the rest of DR is not a cluster's. */
  readonly dr: DrOperations;
  /** The nodes, read live (features.ts). */
  readonly features: ProviderFeatures = { clusterNodes: { nodes: (o) => this.nodes(o) } };

  constructor(private readonly opts: KubernetesProviderOptions) {
    this.cloudId = opts.cloudId;
    this.maxPageSize = opts.maxPageSize ?? 500;
    loadKubeConfig(this.kc, opts);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.apps = this.kc.makeApiClient(AppsV1Api);
    this.net = this.kc.makeApiClient(NetworkingV1Api);
    this.rbac = this.kc.makeApiClient(RbacAuthorizationV1Api);
    this.version = this.kc.makeApiClient(VersionApi);
    this.reads = new KubeReads(this.core, this.apps, (op, code, message, reason) => this.err(op, code, message, reason));
    this.vmsAndVolumes = new KubeVmsAndVolumes({
      core: this.core, apps: this.apps, custom: this.kc.makeApiClient(CustomObjectsApi), apis: this.kc.makeApiClient(ApisApi), reads: this.reads,
      err: (op, code, message, reason) => this.err(op, code, message, reason), conflictRetries: opts.conflictRetries ?? 4, ...(opts.storageClass !== undefined ? { storageClass: opts.storageClass } : {}),
    });
    this.inv = { kc: this.kc, core: this.core, apps: this.apps, watchTimeoutMs: opts.watchTimeoutMs ?? 2000 };
    this.dr = kubernetesDr({
      core: this.core, apps: this.apps, net: this.net,
      call: (op, o, fn) => this.call(op, o, fn),
      mutate: (op, request, o, fn) => this.mutate(op, request, o, fn),
      remembered: (key) => this.ledger.get(key),
      err: (op, code, message, reason) => this.err(op, code, message, reason),
    });
  }

  // ------------------------------------------------------------ connect and facts

  async connect(opts?: CallOptions): Promise<ConnectInfo> {
    return this.call('connect', opts, async () => {
      await this.version.getCode();
      const nodes = await allNodes(this.core);
      const platforms = uniq(nodes.map(platformOf), (p) => `${p.arch}/${p.vendor}`);
      const zones = uniq(nodes.map(zoneOf), (z) => z);
      const caps = capabilitiesOf(platforms, zones, this.maxPageSize, await this.vmsAndVolumes.kubevirt());
      return { cloudId: this.cloudId, providerKind: this.kind, apiVersion: PROVIDER_API_VERSION, ...(this.opts.region !== undefined ? { region: this.opts.region } : {}), capabilities: caps };
    });
  }

  async capacity(opts?: CallOptions): Promise<CapacityReport> {
    return this.call('capacity', opts, async () => {
      const nodes = await allNodes(this.core);
      const deps = (await this.apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR })).items;
      return { cloudId: this.cloudId, pools: capacityPools(nodes, deps) };
    });
  }
  async replicationLinks(opts?: CallOptions): Promise<readonly ReplicationLink[]> {
    return this.call('replicationLinks', opts, async () => []);
  }

  async networkFacts(opts?: CallOptions): Promise<NetworkFacts> {
    return this.call('networkFacts', opts, async () => {
      const cidrs = this.opts.extranetCidrs ?? [];
      return {
        extranetPlanes: this.opts.extranetPlanes ?? [1],
        ipv4Pools: cidrs.filter((c) => !c.includes(':')),
        ipv6Prefixes: cidrs.filter((c) => c.includes(':')),
        ipv6Ready: cidrs.some((c) => c.includes(':')),
        segments: 0,
      };
    });
  }

  async health(opts?: CallOptions): Promise<HealthReport> {
    return this.call('health', opts, async () => healthOf(await allNodes(this.core)));
  }

  /** The cluster's nodes: architecture (`kubernetes.io/arch`), zone, capacity and allocatable, readiness. */
  async nodes(opts?: CallOptions): Promise<NodeInfo[]> {
    return this.call('nodes', opts, async () => nodeInfos(await allNodes(this.core)));
  }

  // ------------------------------------------------------------ tenant spaces

  async observeTenantSpace(desired: TenantSpaceSpec, opts?: CallOptions): Promise<Observation<TenantSpace>> {
    return this.call('observeTenantSpace', opts, async () => {
      const observed = await this.reads.tenantSpace(desired.name);
      if (observed === undefined) return { exists: false, upToDate: false, diff: [] };
      const diff = diffSpecs(desired, observed.spec);
      return { exists: true, upToDate: diff.length === 0, diff, observed };
    });
  }

  /**
   * From the provider's ledger while it remembers the key; after that, a namespace or Deployment this
   * key created carries the key's hash (stamped in the same API call that created it), so creates can
   * still be answered. Updates and deletes leave no such mark: cannot tell.
   */
  async observeByKey(q: { readonly idempotencyKey: string; readonly op: KeyedOp }, opts?: CallOptions): Promise<KeyObservation> {
    return this.call('observeByKey', opts, async (): Promise<KeyObservation> => {
      const seen = this.ledger.get(q.idempotencyKey);
      if (seen !== undefined) {
        if (seen.op !== q.op) return { status: 'not-applied', refusal: { code: 'conflict', message: `the key was used for ${seen.op}` } };
        return { status: 'applied', op: q.op, result: seen.result as Extract<KeyObservation, { status: 'applied' }>['result'] };
      }
      const selector = { labelSelector: `${LABEL.keyHash}=${keyHash(q.idempotencyKey)}` };
      const stamped = <T extends { metadata?: { annotations?: Record<string, string> } }>(items: T[]) => items.find((o) => o.metadata?.annotations?.[ANN.idempotencyKey] === q.idempotencyKey);
      if (q.op === 'createTenantSpace') {
        const ns = stamped((await this.core.listNamespace(selector)).items);
        return ns ? { status: 'applied', op: q.op, result: { outcome: 'created', object: await this.reads.mustTenantSpace(ns.metadata!.name!) } } : { status: 'not-applied' };
      }
      if (q.op === 'createResource') {
        const d = stamped((await this.apps.listDeploymentForAllNamespaces(selector)).items);
        const object = d ? resourceFrom(d) : await this.vmsAndVolumes.createdBy(q.idempotencyKey, keyHash(q.idempotencyKey));
        return object ? { status: 'applied', op: q.op, result: { outcome: 'created', object } } : { status: 'not-applied' };
      }
      return { status: 'cannot-tell', reason: 'the cluster keeps no record of updates and deletes beyond the provider process that made them' };
    });
  }

  async createTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, CreateOutcome>> {
    return this.mutate('createTenantSpace', spec, opts, async (stamp) => {
      const problems = tenantSpaceProblems(spec);
      if (problems.length > 0) throw this.err('createTenantSpace', 'invalid', problems.join('; '));
      await this.refuseReusedKey('createTenantSpace', stamp, () => this.core.listNamespace({ labelSelector: `${LABEL.keyHash}=${keyHash(stamp.idempotencyKey)}` }));
      try {
        await this.core.createNamespace({ body: namespaceFor(spec, stamp) });
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        return { outcome: 'exists' as const, object: await this.reads.mustTenantSpace(spec.name) };
      }
      const ns = spec.name;
      await this.ensure(() => this.core.createNamespacedResourceQuota({ namespace: ns, body: resourceQuotaFor(spec) }));
      await this.ensure(() => this.core.createNamespacedLimitRange({ namespace: ns, body: limitRangeFor(spec) }));
      await this.ensure(() => this.net.createNamespacedNetworkPolicy({ namespace: ns, body: networkPolicyFor(spec, this.opts.extranetCidrs ?? []) }));
      const dept = spec.labels?.['department'];
      if (dept !== undefined) {
        const group = (this.opts.departmentGroup ?? ((d: string) => `ganyun:department:${d}`))(dept);
        await this.ensure(() => this.rbac.createNamespacedRoleBinding({ namespace: ns, body: roleBindingFor(spec, group) }));
      }
      return { outcome: 'created' as const, object: await this.reads.mustTenantSpace(spec.name) };
    });
  }

  async updateTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, UpdateOutcome>> {
    return this.mutate('updateTenantSpace', spec, opts, async (stamp) => {
      const current = await this.reads.mustTenantSpace(spec.name);
      if (diffSpecs(spec, current.spec).length === 0) return { outcome: 'unchanged' as const, object: current };
      await this.withConflictRetry(async () => {
        const q = await this.core.readNamespacedResourceQuota({ name: QUOTA_NAME, namespace: spec.name });
        q.spec = { ...q.spec, hard: quotaHard(spec.quota) };
        await this.core.replaceNamespacedResourceQuota({ name: QUOTA_NAME, namespace: spec.name, body: q });
      });
      await this.withConflictRetry(async () => {
        const ns = await this.core.readNamespace({ name: spec.name });
        const next = namespaceFor(spec, stamp);
        ns.metadata = { ...ns.metadata, labels: { ...ns.metadata?.labels, ...next.metadata?.labels }, annotations: { ...ns.metadata?.annotations, ...next.metadata?.annotations } };
        await this.core.replaceNamespace({ name: spec.name, body: ns });
      });
      return { outcome: 'updated' as const, object: await this.reads.mustTenantSpace(spec.name) };
    });
  }

  async deleteTenantSpace(name: string, opts: MutationOptions): Promise<MutationResult<TenantSpace, DeleteOutcome>> {
    return this.mutate('deleteTenantSpace', { name }, opts, async () => {
      const current = await this.reads.tenantSpace(name);
      if (current === undefined) return { outcome: 'gone' as const };
      const deps = await this.apps.listNamespacedDeployment({ namespace: name, labelSelector: MANAGED_SELECTOR, limit: 1 });
      if (deps.items.length > 0) throw this.err('deleteTenantSpace', 'conflict', `tenant space ${name} still holds workloads`, 'not-empty');
      try {
        await this.core.deleteNamespace({ name });
      } catch (e) {
        if (statusOf(e) === 404) return { outcome: 'gone' as const };
        throw e;
      }
      const after = await this.reads.tenantSpace(name);
      return after === undefined ? { outcome: 'deleted' as const, object: current } : { outcome: 'deleting' as const, object: after };
    });
  }

  // ------------------------------------------------------------ resources

  async observeResource(desired: ResourceSpec, opts?: CallOptions): Promise<Observation<Resource>> {
    return this.call('observeResource', opts, async () => {
      if (desired.kind !== 'workload') return this.vmsAndVolumes.observe(desired);
      const d = await this.reads.deployment(desired);
      if (d === undefined) return { exists: false, upToDate: false, diff: [] };
      const observed = resourceFrom(d);
      const diff = diffSpecs(desired, observed.spec);
      return { exists: true, upToDate: diff.length === 0, diff, observed };
    });
  }

  async createResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, CreateOutcome>> {
    return this.mutate('createResource', spec, opts, async (stamp) => {
      if (spec.kind !== 'workload') return this.vmsAndVolumes.create(spec, stamp);
      this.reads.checkResource('createResource', spec);
      await this.refuseReusedKey('createResource', stamp, () => this.apps.listDeploymentForAllNamespaces({ labelSelector: `${LABEL.keyHash}=${keyHash(stamp.idempotencyKey)}` }));
      const existing = await this.reads.deployment(spec);
      if (existing !== undefined) return { outcome: 'exists' as const, object: resourceFrom(existing) };
      await this.reads.checkQuota('createResource', spec);
      try {
        const created = await this.apps.createNamespacedDeployment({ namespace: spec.tenant, body: deploymentFor(spec, stamp) });
        return { outcome: 'created' as const, object: resourceFrom(created) };
      } catch (e) {
        if (statusOf(e) === 409) return { outcome: 'exists' as const, object: resourceFrom(await this.reads.mustDeployment('createResource', spec)) };
        throw e;
      }
    });
  }

  async updateResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, UpdateOutcome>> {
    return this.mutate('updateResource', spec, opts, async (stamp) => {
      if (spec.kind !== 'workload') return this.vmsAndVolumes.update(spec, stamp);
      this.reads.checkResource('updateResource', spec);
      return this.withConflictRetry(async () => {
        const current = await this.reads.mustDeployment('updateResource', spec);
        if (diffSpecs(spec, resourceFrom(current).spec).length === 0) return { outcome: 'unchanged' as const, object: resourceFrom(current) };
        await this.reads.checkQuota('updateResource', spec);
        const desired = deploymentFor(spec, stamp);
        const body: V1Deployment = {
          ...current,
          metadata: { ...current.metadata, labels: { ...current.metadata?.labels, ...desired.metadata?.labels }, annotations: { ...current.metadata?.annotations, ...desired.metadata?.annotations } },
          spec: { ...current.spec, ...desired.spec, selector: current.spec?.selector ?? { matchLabels: {} } } as V1Deployment['spec'],
        };
        const replaced = await this.apps.replaceNamespacedDeployment({ name: spec.name, namespace: spec.tenant, body });
        return { outcome: 'updated' as const, object: resourceFrom(replaced) };
      });
    });
  }

  async deleteResource(ref: ResourceRef, opts: MutationOptions): Promise<MutationResult<Resource, DeleteOutcome>> {
    const target = { tenant: ref.tenant, kind: ref.kind, name: ref.name };
    return this.mutate('deleteResource', target, opts, async () => {
      if (ref.kind !== 'workload') return this.vmsAndVolumes.delete(ref);
      const current = await this.reads.deployment(ref);
      if (current === undefined) return { outcome: 'gone' as const };
      try {
        await this.apps.deleteNamespacedDeployment({ name: ref.name, namespace: ref.tenant, propagationPolicy: 'Background' });
      } catch (e) {
        if (statusOf(e) === 404) return { outcome: 'gone' as const };
        throw e;
      }
      const after = await this.reads.deployment(ref);
      return after === undefined ? { outcome: 'deleted' as const, object: resourceFrom(current) } : { outcome: 'deleting' as const, object: resourceFrom(after) };
    });
  }

  // ------------------------------------------------------------ DR hooks

  /** Scales a workload (DR: down at the failed site, up at the standby) through the /scale subresource. */
  async scaleWorkload(ref: ResourceRef, replicas: number, opts?: CallOptions): Promise<WorkloadReadiness> {
    return this.call('scaleWorkload', opts, async () => {
      if (!Number.isInteger(replicas) || replicas < 0) throw this.err('scaleWorkload', 'invalid', `replicas must be an integer >= 0, got ${replicas}`);
      await this.apps.patchNamespacedDeploymentScale({ name: ref.name, namespace: ref.tenant, body: { spec: { replicas } } }, MERGE_PATCH);
      return readiness(await this.reads.mustDeployment('scaleWorkload', ref));
    });
  }

  async workloadReadiness(ref: ResourceRef, opts?: CallOptions): Promise<WorkloadReadiness> {
    return this.call('workloadReadiness', opts, async () => readiness(await this.reads.mustDeployment('workloadReadiness', ref)));
  }

  // ------------------------------------------------------------ inventory

  async listInventory(req: InventoryRequest, opts?: CallOptions): Promise<InventoryPage> {
    return this.call('listInventory', opts, () => listPage(this.inv, req, this.maxPageSize, (message, reason) => this.err('listInventory', 'invalid', message, reason)));
  }

  async close(): Promise<void> {
    this.ledger.clear();
  }

  // ------------------------------------------------------------ helpers

  private call<T>(op: string, opts: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    return callCluster(this.cloudId, op, opts?.signal, fn);
  }

  /** Idempotency: a replay returns the first result; the same key for another request is refused. */
  private async mutate<T>(op: string, request: unknown, opts: MutationOptions, fn: (stamp: MutationStamp) => Promise<T>): Promise<T> {
    return this.call(op, opts, async () => {
      const fp = fingerprint(op, request);
      const seen = this.ledger.get(opts.idempotencyKey);
      if (seen !== undefined) {
        if (seen.fingerprint !== fp) throw this.err(op, 'conflict', `idempotency key ${opts.idempotencyKey} was used for another request`, 'idempotency-key-reuse');
        return seen.result as T;
      }
      const result = await fn({ idempotencyKey: opts.idempotencyKey, fingerprint: fp, at: new Date().toISOString() });
      this.ledger.remember(opts.idempotencyKey, { op, fingerprint: fp, result });
      return result;
    });
  }

  /** Across restarts: an object carrying this key's hash, made by a different request, means reuse. */
  private async refuseReusedKey(op: string, stamp: MutationStamp, list: () => Promise<{ items: { metadata?: { annotations?: Record<string, string> } }[] }>): Promise<void> {
    const found = (await list()).items.find((o) => o.metadata?.annotations?.[ANN.idempotencyKey] === stamp.idempotencyKey);
    if (found !== undefined && found.metadata?.annotations?.[ANN.fingerprint] !== stamp.fingerprint) {
      throw this.err(op, 'conflict', `idempotency key ${stamp.idempotencyKey} was used for another request`, 'idempotency-key-reuse');
    }
  }

  private withConflictRetry<T>(fn: () => Promise<T>): Promise<T> {
    return withConflictRetry(fn, this.opts.conflictRetries ?? 4);
  }

  private ensure(fn: () => Promise<unknown>): Promise<void> {
    return ensureExists(fn);
  }

  private err(op: string, code: ProviderError['code'], message: string, reason?: string): ProviderError {
    return new ProviderError({ provider: this.cloudId, op, code, message: `${this.cloudId}: ${op}: ${message}`, ...(reason !== undefined ? { reason } : {}) });
  }
}
