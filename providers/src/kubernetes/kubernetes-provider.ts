/**
 * The Kubernetes provider: Ganyun's Provider SPI over @kubernetes/client-node 1.4.0.
 * Tenant space = Namespace (+ ResourceQuota, LimitRange, default-deny NetworkPolicy,
 * RoleBinding of the department's group to ClusterRole `edit`); resource kind `workload`
 * = Deployment. Other kinds are refused as data (`capabilities.resourceKinds`) and with
 * `invalid` / `unsupported-kind`. Errors are mapped in kube-errors.ts only.
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  VersionApi,
  type V1Deployment,
  type V1Node,
} from '@kubernetes/client-node';
import { ProviderError } from '../errors.ts';
import type { ProviderFeatures } from '../features.ts';
import { addQuota, demandOf, exceededClasses, resourceProblems, tenantSpaceProblems, ZERO_QUOTA } from '../spec-checks.ts';
import { diffSpecs } from '../spec-diff.ts';
import {
  PROVIDER_API_VERSION,
  RESOURCE_CLASSES,
  type CallOptions,
  type CapacityPool,
  type CapacityReport,
  type ConnectInfo,
  type CpuPlatform,
  type CreateOutcome,
  type DeleteOutcome,
  type HealthReport,
  type InventoryPage,
  type InventoryRequest,
  type MutationOptions,
  type MutationResult,
  type NetworkFacts,
  type KeyObservation,
  type KeyedOp,
  type Observation,
  type Provider,
  type Quota,
  type ReplicationLink,
  type Resource,
  type ResourceRef,
  type ResourceSpec,
  type TenantSpace,
  type TenantSpaceSpec,
  type UpdateOutcome,
} from '../spi.ts';
import { loadKubeConfig, type KubernetesProviderOptions } from './kube-connection.ts';
import { fromKubeError, statusOf, statusReason } from './kube-errors.ts';
import { nodeQuota, platformOf, readiness, zoneOf, type NodeInfo, type WorkloadReadiness } from './kube-nodes.ts';
import { changesBetween, currentRevision, decodeToken, encodeToken, fullPage, GoneError, type InventoryDeps } from './kube-inventory.ts';
import {
  ANN,
  archFromKube,
  deploymentDemand,
  deploymentFor,
  fingerprint,
  keyHash,
  LABEL,
  limitRangeFor,
  MANAGED_SELECTOR,
  namespaceFor,
  networkPolicyFor,
  QUOTA_NAME,
  quotaFromKube,
  quotaHard,
  resourceFrom,
  resourceQuotaFor,
  roleBindingFor,
  tenantSpaceFrom,
  type MutationStamp,
} from './kube-objects.ts';

import { KUBERNETES_DR_OPERATIONS, kubernetesDr } from './kube-dr.ts';
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
  private readonly ledger = new Map<string, { fingerprint: string; result: unknown }>();
  /** Which operation each remembered key was for (observe-by-key answers with it). */
  private readonly ledgerOps = new Map<string, string>();
  private readonly maxPageSize: number;
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
    this.inv = { kc: this.kc, core: this.core, apps: this.apps, watchTimeoutMs: opts.watchTimeoutMs ?? 2000 };
    this.dr = kubernetesDr({
      core: this.core, apps: this.apps, net: this.net,
      call: (op, o, fn) => this.call(op, o, fn),
      mutate: (op, request, o, fn) => this.mutate(op, request, o, fn),
      remembered: (key) => {
        const seen = this.ledger.get(key);
        return seen === undefined ? undefined : { op: this.ledgerOps.get(key) ?? '', result: seen.result };
      },
      err: (op, code, message, reason) => this.err(op, code, message, reason),
    });
  }

  // ------------------------------------------------------------ connect and facts

  async connect(opts?: CallOptions): Promise<ConnectInfo> {
    return this.call('connect', opts, async () => {
      await this.version.getCode();
      const nodes = await this.allNodes();
      const platforms = uniq(nodes.map(platformOf), (p) => `${p.arch}/${p.vendor}`);
      return {
        cloudId: this.cloudId,
        providerKind: this.kind,
        apiVersion: PROVIDER_API_VERSION,
        ...(this.opts.region !== undefined ? { region: this.opts.region } : {}),
        capabilities: {
          resourceKinds: ['workload'],
          tenantSpaceKind: 'namespace',
          platforms,
          zones: uniq(nodes.map(zoneOf), (z) => z),
          images: [],
          replication: { supported: false, modes: [] },
          networkFacts: true,
          incrementalInventory: true,
          maxPageSize: this.maxPageSize,
          dr: { operations: [...KUBERNETES_DR_OPERATIONS] },
        },
      };
    });
  }

  async capacity(opts?: CallOptions): Promise<CapacityReport> {
    return this.call('capacity', opts, async () => {
      const nodes = await this.allNodes();
      const deps = (await this.apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR })).items;
      const pools = new Map<string, { pool: CpuPlatform & { zone: string }; hosts: number; physical: Quota; allocatable: Quota; allocated: Quota }>();
      for (const n of nodes) {
        const p = { ...platformOf(n), zone: zoneOf(n) };
        const k = `${p.zone}/${p.arch}/${p.vendor}`;
        const cur = pools.get(k) ?? { pool: p, hosts: 0, physical: ZERO_QUOTA, allocatable: ZERO_QUOTA, allocated: ZERO_QUOTA };
        pools.set(k, { ...cur, hosts: cur.hosts + 1, physical: addQuota(cur.physical, nodeQuota(n.status?.capacity)), allocatable: addQuota(cur.allocatable, nodeQuota(n.status?.allocatable)) });
      }
      for (const d of deps) {
        const sel = d.spec?.template?.spec?.nodeSelector ?? {};
        const arch = archFromKube(sel['kubernetes.io/arch']) ?? 'x86_64';
        const zone = sel['topology.kubernetes.io/zone'];
        const target = [...pools.values()].find((x) => x.pool.arch === arch && (zone === undefined || x.pool.zone === zone));
        if (target) target.allocated = addQuota(target.allocated, deploymentDemand(d));
      }
      const out: CapacityPool[] = [...pools.values()].map((x) => ({
        ...x.pool,
        hosts: x.hosts,
        classes: Object.fromEntries(
          RESOURCE_CLASSES.map((c) => [c, { physical: x.physical[c], overcommitRatio: 1, allocatable: x.allocatable[c], allocated: x.allocated[c] }]),
        ) as CapacityPool['classes'],
      }));
      return { cloudId: this.cloudId, pools: out };
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
    return this.call('health', opts, async () => {
      const nodes = await this.allNodes();
      const byZone = new Map<string, boolean[]>();
      for (const n of nodes) byZone.set(zoneOf(n), [...(byZone.get(zoneOf(n)) ?? []), n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false]);
      const zones = [...byZone].map(([zone, ready]) => ({ zone, status: ready.every(Boolean) ? ('ok' as const) : ready.some(Boolean) ? ('degraded' as const) : ('down' as const) }));
      const status = zones.length > 0 && zones.every((z) => z.status === 'ok') ? 'ok' : zones.some((z) => z.status !== 'down') ? 'degraded' : 'down';
      return { status, zones, checkedAt: new Date().toISOString() };
    });
  }

  /** The cluster's nodes: architecture (`kubernetes.io/arch`), zone, capacity and allocatable, readiness. */
  async nodes(opts?: CallOptions): Promise<NodeInfo[]> {
    return this.call('nodes', opts, async () =>
      (await this.allNodes()).map((n) => ({
        name: n.metadata?.name ?? '',
        ...platformOf(n),
        zone: zoneOf(n),
        ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        capacity: nodeQuota(n.status?.capacity),
        allocatable: nodeQuota(n.status?.allocatable),
      })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  // ------------------------------------------------------------ tenant spaces

  async observeTenantSpace(desired: TenantSpaceSpec, opts?: CallOptions): Promise<Observation<TenantSpace>> {
    return this.call('observeTenantSpace', opts, async () => {
      const observed = await this.readTenantSpace(desired.name);
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
        const op = this.ledgerOps.get(q.idempotencyKey);
        if (op !== q.op) return { status: 'not-applied', refusal: { code: 'conflict', message: `the key was used for ${op}` } };
        return { status: 'applied', op: q.op, result: seen.result as Extract<KeyObservation, { status: 'applied' }>['result'] };
      }
      const selector = { labelSelector: `${LABEL.keyHash}=${keyHash(q.idempotencyKey)}` };
      const stamped = <T extends { metadata?: { annotations?: Record<string, string> } }>(items: T[]) => items.find((o) => o.metadata?.annotations?.[ANN.idempotencyKey] === q.idempotencyKey);
      if (q.op === 'createTenantSpace') {
        const ns = stamped((await this.core.listNamespace(selector)).items);
        return ns ? { status: 'applied', op: q.op, result: { outcome: 'created', object: await this.mustReadTenantSpace(ns.metadata!.name!) } } : { status: 'not-applied' };
      }
      if (q.op === 'createResource') {
        const d = stamped((await this.apps.listDeploymentForAllNamespaces(selector)).items);
        return d ? { status: 'applied', op: q.op, result: { outcome: 'created', object: resourceFrom(d) } } : { status: 'not-applied' };
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
        return { outcome: 'exists' as const, object: await this.mustReadTenantSpace(spec.name) };
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
      return { outcome: 'created' as const, object: await this.mustReadTenantSpace(spec.name) };
    });
  }

  async updateTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, UpdateOutcome>> {
    return this.mutate('updateTenantSpace', spec, opts, async (stamp) => {
      const current = await this.mustReadTenantSpace(spec.name);
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
      return { outcome: 'updated' as const, object: await this.mustReadTenantSpace(spec.name) };
    });
  }

  async deleteTenantSpace(name: string, opts: MutationOptions): Promise<MutationResult<TenantSpace, DeleteOutcome>> {
    return this.mutate('deleteTenantSpace', { name }, opts, async () => {
      const current = await this.readTenantSpace(name);
      if (current === undefined) return { outcome: 'gone' as const };
      const deps = await this.apps.listNamespacedDeployment({ namespace: name, labelSelector: MANAGED_SELECTOR, limit: 1 });
      if (deps.items.length > 0) throw this.err('deleteTenantSpace', 'conflict', `tenant space ${name} still holds workloads`, 'not-empty');
      try {
        await this.core.deleteNamespace({ name });
      } catch (e) {
        if (statusOf(e) === 404) return { outcome: 'gone' as const };
        throw e;
      }
      const after = await this.readTenantSpace(name);
      return after === undefined ? { outcome: 'deleted' as const, object: current } : { outcome: 'deleting' as const, object: after };
    });
  }

  // ------------------------------------------------------------ resources

  async observeResource(desired: ResourceSpec, opts?: CallOptions): Promise<Observation<Resource>> {
    return this.call('observeResource', opts, async () => {
      if (desired.kind !== 'workload') return { exists: false, upToDate: false, diff: [] };
      const d = await this.readDeployment(desired);
      if (d === undefined) return { exists: false, upToDate: false, diff: [] };
      const observed = resourceFrom(d);
      const diff = diffSpecs(desired, observed.spec);
      return { exists: true, upToDate: diff.length === 0, diff, observed };
    });
  }

  async createResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, CreateOutcome>> {
    return this.mutate('createResource', spec, opts, async (stamp) => {
      this.checkResource('createResource', spec);
      await this.refuseReusedKey('createResource', stamp, () => this.apps.listDeploymentForAllNamespaces({ labelSelector: `${LABEL.keyHash}=${keyHash(stamp.idempotencyKey)}` }));
      const existing = await this.readDeployment(spec);
      if (existing !== undefined) return { outcome: 'exists' as const, object: resourceFrom(existing) };
      await this.checkQuota('createResource', spec);
      try {
        const created = await this.apps.createNamespacedDeployment({ namespace: spec.tenant, body: deploymentFor(spec, stamp) });
        return { outcome: 'created' as const, object: resourceFrom(created) };
      } catch (e) {
        if (statusOf(e) === 409) return { outcome: 'exists' as const, object: resourceFrom(await this.mustReadDeployment('createResource', spec)) };
        throw e;
      }
    });
  }

  async updateResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, UpdateOutcome>> {
    return this.mutate('updateResource', spec, opts, async (stamp) => {
      this.checkResource('updateResource', spec);
      return this.withConflictRetry(async () => {
        const current = await this.mustReadDeployment('updateResource', spec);
        if (diffSpecs(spec, resourceFrom(current).spec).length === 0) return { outcome: 'unchanged' as const, object: resourceFrom(current) };
        await this.checkQuota('updateResource', spec);
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
      if (ref.kind !== 'workload') return { outcome: 'gone' as const };
      const current = await this.readDeployment(ref);
      if (current === undefined) return { outcome: 'gone' as const };
      try {
        await this.apps.deleteNamespacedDeployment({ name: ref.name, namespace: ref.tenant, propagationPolicy: 'Background' });
      } catch (e) {
        if (statusOf(e) === 404) return { outcome: 'gone' as const };
        throw e;
      }
      const after = await this.readDeployment(ref);
      return after === undefined ? { outcome: 'deleted' as const, object: resourceFrom(current) } : { outcome: 'deleting' as const, object: resourceFrom(after) };
    });
  }

  // ------------------------------------------------------------ DR hooks

  /** Scales a workload (DR: down at the failed site, up at the standby) through the /scale subresource. */
  async scaleWorkload(ref: ResourceRef, replicas: number, opts?: CallOptions): Promise<WorkloadReadiness> {
    return this.call('scaleWorkload', opts, async () => {
      if (!Number.isInteger(replicas) || replicas < 0) throw this.err('scaleWorkload', 'invalid', `replicas must be an integer >= 0, got ${replicas}`);
      await this.apps.patchNamespacedDeploymentScale({ name: ref.name, namespace: ref.tenant, body: { spec: { replicas } } }, MERGE_PATCH);
      return readiness(await this.mustReadDeployment('scaleWorkload', ref));
    });
  }

  async workloadReadiness(ref: ResourceRef, opts?: CallOptions): Promise<WorkloadReadiness> {
    return this.call('workloadReadiness', opts, async () => readiness(await this.mustReadDeployment('workloadReadiness', ref)));
  }

  // ------------------------------------------------------------ inventory

  async listInventory(req: InventoryRequest, opts?: CallOptions): Promise<InventoryPage> {
    return this.call('listInventory', opts, async () => {
      if (!Number.isInteger(req.pageSize) || req.pageSize < 1 || req.pageSize > this.maxPageSize) {
        throw this.err('listInventory', 'invalid', `pageSize must be 1..${this.maxPageSize}`);
      }
      if (req.page !== undefined) {
        const t = decodeToken(req.page);
        if (t === undefined) throw this.err('listInventory', 'invalid', 'unreadable page token', 'bad-page-token');
        if (t.m === 'full') return fullPage(this.inv, req.pageSize, t);
        return this.changePage(t.from, t.to, t.off, req.pageSize);
      }
      if (req.cursor === undefined) return fullPage(this.inv, req.pageSize);
      const from = /^k8s:(\d+)$/.exec(req.cursor)?.[1];
      if (from === undefined) return fullPage(this.inv, req.pageSize);
      return this.changePage(from, await currentRevision(this.inv), 0, req.pageSize);
    });
  }

  private async changePage(from: string, to: string, off: number, pageSize: number): Promise<InventoryPage> {
    try {
      const all = await changesBetween(this.inv, from, to);
      const items = all.slice(off, off + pageSize);
      const more = off + pageSize < all.length;
      return { items, ...(more ? { nextPage: encodeToken({ m: 'chg', from, to, off: off + pageSize }) } : {}), cursor: `k8s:${to}`, full: false };
    } catch (e) {
      if (e instanceof GoneError) return fullPage(this.inv, pageSize);
      throw e;
    }
  }

  async close(): Promise<void> {
    this.ledger.clear();
  }

  // ------------------------------------------------------------ helpers

  private async call<T>(op: string, opts: CallOptions | undefined, fn: () => Promise<T>): Promise<T> {
    const signal = opts?.signal;
    try {
      if (signal?.aborted === true) throw signal.reason;
      if (signal === undefined) return await fn();
      return await new Promise<T>((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        fn().then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    } catch (e) {
      throw fromKubeError(e, this.cloudId, op, signal);
    }
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
      this.ledger.set(opts.idempotencyKey, { fingerprint: fp, result });
      this.ledgerOps.set(opts.idempotencyKey, op);
      if (this.ledger.size > 10_000) {
        const oldest = this.ledger.keys().next().value as string;
        this.ledger.delete(oldest);
        this.ledgerOps.delete(oldest);
      }
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

  /** Read → modify → replace with resourceVersion; on 409 Conflict read again, a few times. */
  private async withConflictRetry<T>(fn: () => Promise<T>): Promise<T> {
    const tries = (this.opts.conflictRetries ?? 4) + 1;
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (statusOf(e) !== 409 || statusReason(e) === 'AlreadyExists' || i >= tries) throw e;
      }
    }
  }

  private async ensure(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
    }
  }

  private checkResource(op: string, spec: ResourceSpec): void {
    if (spec.kind !== 'workload') throw this.err(op, 'invalid', `kind ${spec.kind} is not offered by a Kubernetes cloud (capabilities.resourceKinds)`, 'unsupported-kind');
    const problems = resourceProblems(spec);
    if (problems.length > 0) throw this.err(op, 'invalid', problems.join('; '));
  }

  private async checkQuota(op: string, spec: ResourceSpec): Promise<void> {
    const space = await this.readTenantSpace(spec.tenant);
    if (space === undefined) throw this.err(op, 'not-found', `tenant space ${spec.tenant} does not exist`);
    const deps = await this.apps.listNamespacedDeployment({ namespace: spec.tenant, labelSelector: MANAGED_SELECTOR });
    const others = deps.items.filter((d) => d.metadata?.name !== spec.name).reduce((a, d) => addQuota(a, deploymentDemand(d)), ZERO_QUOTA);
    const over = exceededClasses(addQuota(others, demandOf(spec)), space.spec.quota);
    if (over.length > 0) throw this.err(op, 'conflict', `quota of ${spec.tenant} exceeded for ${over.join(', ')}`, 'quota-exceeded');
  }

  private async readTenantSpace(name: string): Promise<TenantSpace | undefined> {
    const ns = await orUndefined(this.core.readNamespace({ name }));
    if (ns === undefined) return undefined;
    const q = await orUndefined(this.core.readNamespacedResourceQuota({ name: QUOTA_NAME, namespace: name }));
    const deps = await this.apps.listNamespacedDeployment({ namespace: name, labelSelector: MANAGED_SELECTOR });
    const usage = deps.items.reduce((a, d) => addQuota(a, deploymentDemand(d)), ZERO_QUOTA);
    return tenantSpaceFrom(ns, q ? quotaFromKube(q.spec?.hard as Record<string, string>) : undefined, usage);
  }

  private async mustReadTenantSpace(name: string): Promise<TenantSpace> {
    const t = await this.readTenantSpace(name);
    if (t === undefined) throw this.err('readTenantSpace', 'not-found', `tenant space ${name} does not exist`);
    return t;
  }

  private readDeployment(ref: { tenant: string; name: string }): Promise<V1Deployment | undefined> {
    return orUndefined(this.apps.readNamespacedDeployment({ name: ref.name, namespace: ref.tenant }));
  }

  private async mustReadDeployment(op: string, ref: { tenant: string; name: string }): Promise<V1Deployment> {
    const d = await this.readDeployment(ref);
    if (d === undefined) throw this.err(op, 'not-found', `workload ${ref.tenant}/${ref.name} does not exist`);
    return d;
  }

  private async allNodes(): Promise<V1Node[]> {
    const out: V1Node[] = [];
    let cont: string | undefined;
    do {
      const page = await this.core.listNode({ limit: 500, ...(cont !== undefined ? { _continue: cont } : {}) });
      out.push(...page.items);
      cont = page.metadata?._continue || undefined;
    } while (cont !== undefined);
    return out;
  }

  private err(op: string, code: ProviderError['code'], message: string, reason?: string): ProviderError {
    return new ProviderError({ provider: this.cloudId, op, code, message: `${this.cloudId}: ${op}: ${message}`, ...(reason !== undefined ? { reason } : {}) });
  }
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

function uniq<T>(xs: T[], key: (x: T) => string): T[] {
  const m = new Map<string, T>();
  for (const x of xs) if (!m.has(key(x))) m.set(key(x), x);
  return [...m.values()];
}
