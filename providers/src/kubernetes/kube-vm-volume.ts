/**
 * Volumes (PersistentVolumeClaims) and hosts (KubeVirt VirtualMachines) on a Kubernetes cloud: reads, creates
 * (409 AlreadyExists is "exists"), updates (read → modify → replace, retried on 409 Conflict; a claim only grows),
 * deletes (404 is "gone") and the quota check across workloads, claims and machines. Hosts are offered only when
 * the cluster's discovery (`GET /apis`) lists `kubevirt.io/v1`; otherwise a host is a typed "not supported".
 */
import type { ApisApi, AppsV1Api, CoreV1Api, CustomObjectsApi, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { ProviderError } from '../errors.ts';
import { addQuota, demandOf, exceededClasses, resourceProblems, ZERO_QUOTA } from '../spec-checks.ts';
import { diffSpecs } from '../spec-diff.ts';
import type { CreateOutcome, DeleteOutcome, Observation, Resource, ResourceRef, ResourceSpec, UpdateOutcome } from '../spi.ts';
import { orUndefined, withConflictRetry } from './kube-calls.ts';
import { statusOf } from './kube-errors.ts';
import { ANN, deploymentDemand, LABEL, MANAGED_SELECTOR, type MutationStamp } from './kube-objects.ts';
import type { KubeReads } from './kube-reads.ts';
import { claimDemand, claimFor, KUBEVIRT, resourceFromClaim, resourceFromVm, virtualMachineFor, vmDemand, type VirtualMachineObject } from './kube-vm-volume-objects.ts';

type ErrorFactory = (op: string, code: ProviderError['code'], message: string, reason?: string) => ProviderError;
type Outcome<O> = { outcome: O; object?: Resource };

export interface VmVolumeDeps {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  readonly apis: ApisApi;
  readonly reads: KubeReads;
  readonly err: ErrorFactory;
  readonly storageClass?: string;
  readonly conflictRetries: number;
}

const KUBEVIRT_TTL_MS = 60_000;

export class KubeVmsAndVolumes {
  private kubevirtSeen: { at: number; served: boolean } | undefined;

  constructor(private readonly d: VmVolumeDeps) {}

  /** Whether the cluster serves KubeVirt VirtualMachines, from API discovery (kept a minute: installing an operator is rare). */
  async kubevirt(): Promise<boolean> {
    const seen = this.kubevirtSeen;
    if (seen !== undefined && Date.now() - seen.at < KUBEVIRT_TTL_MS) return seen.served;
    const groups = await this.d.apis.getAPIVersions();
    const served = groups.groups.some((g) => g.name === KUBEVIRT.group && g.versions.some((v) => v.version === KUBEVIRT.version));
    this.kubevirtSeen = { at: Date.now(), served };
    return served;
  }

  /** The shape checks, and a host refused unless the cluster serves KubeVirt. */
  async check(op: string, spec: ResourceSpec): Promise<void> {
    if (spec.kind === 'network-segment') throw this.d.err(op, 'invalid', 'network segments are not offered by a Kubernetes cloud (capabilities.resourceKinds)', 'unsupported-kind');
    if (spec.kind === 'vm' && !(await this.kubevirt())) {
      throw this.d.err(op, 'invalid', 'cloud hosts need KubeVirt, which this cluster does not serve (no kubevirt.io/v1 in its API discovery)', 'unsupported-kind');
    }
    const problems = resourceProblems(spec);
    if (problems.length > 0) throw this.d.err(op, 'invalid', problems.join('; '));
  }

  async read(ref: ResourceRef): Promise<Resource | undefined> {
    if (ref.kind === 'volume') {
      const c = await this.claim(ref);
      return c && resourceFromClaim(c);
    }
    if (ref.kind === 'vm' && (await this.kubevirt())) {
      const vm = await this.vm(ref);
      return vm && resourceFromVm(vm);
    }
    return undefined;
  }

  async observe(desired: ResourceSpec): Promise<Observation<Resource>> {
    const observed = await this.read(desired);
    if (observed === undefined) return { exists: false, upToDate: false, diff: [] };
    const diff = diffSpecs(desired, observed.spec);
    return { exists: true, upToDate: diff.length === 0, diff, observed };
  }

  async create(spec: ResourceSpec, stamp: MutationStamp): Promise<Outcome<CreateOutcome>> {
    await this.check('createResource', spec);
    const existing = await this.read(spec);
    if (existing !== undefined) return { outcome: 'exists', object: existing };
    await this.checkQuota('createResource', spec);
    try {
      if (spec.kind === 'volume') {
        return { outcome: 'created', object: resourceFromClaim(await this.d.core.createNamespacedPersistentVolumeClaim({ namespace: spec.tenant, body: claimFor(spec, stamp, this.d.storageClass) })) };
      }
      const created = (await this.d.custom.createNamespacedCustomObject({ ...KUBEVIRT, namespace: spec.tenant, body: virtualMachineFor(spec, stamp) })) as VirtualMachineObject;
      return { outcome: 'created', object: resourceFromVm(created) };
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
      const now = await this.read(spec);
      if (now === undefined) throw e;
      return { outcome: 'exists', object: now };
    }
  }

  async update(spec: ResourceSpec, stamp: MutationStamp): Promise<Outcome<UpdateOutcome>> {
    await this.check('updateResource', spec);
    return withConflictRetry(async () => {
      const current = await this.read(spec);
      if (current === undefined) throw this.d.err('updateResource', 'not-found', `${spec.kind} ${spec.tenant}/${spec.name} does not exist`);
      if (diffSpecs(spec, current.spec).length === 0) return { outcome: 'unchanged' as const, object: current };
      await this.checkQuota('updateResource', spec);
      if (spec.kind === 'volume') {
        const c = (await this.claim(spec))!;
        if ((spec.size.storageGiB ?? 0) < (current.spec.size.storageGiB ?? 0)) {
          throw this.d.err('updateResource', 'invalid', `volume ${spec.name} only grows (it has ${current.spec.size.storageGiB} GiB)`, 'shrink-refused');
        }
        const next = claimFor(spec, stamp, this.d.storageClass);
        const body: V1PersistentVolumeClaim = { ...c, metadata: { ...c.metadata, annotations: { ...c.metadata?.annotations, ...next.metadata?.annotations } }, spec: { ...c.spec, resources: next.spec?.resources ?? {} } };
        return { outcome: 'updated' as const, object: resourceFromClaim(await this.d.core.replaceNamespacedPersistentVolumeClaim({ name: spec.name, namespace: spec.tenant, body })) };
      }
      const vm = (await this.vm(spec))!;
      const next = virtualMachineFor(spec, stamp);
      const body: VirtualMachineObject = { ...vm, metadata: { ...vm.metadata, annotations: { ...vm.metadata?.annotations, ...next.metadata?.annotations } }, spec: next.spec ?? {} };
      const replaced = (await this.d.custom.replaceNamespacedCustomObject({ ...KUBEVIRT, namespace: spec.tenant, name: spec.name, body })) as VirtualMachineObject;
      return { outcome: 'updated' as const, object: resourceFromVm(replaced) };
    }, this.d.conflictRetries);
  }

  async delete(ref: ResourceRef): Promise<Outcome<DeleteOutcome>> {
    const current = await this.read(ref);
    if (current === undefined) return { outcome: 'gone' };
    try {
      if (ref.kind === 'volume') await this.d.core.deleteNamespacedPersistentVolumeClaim({ name: ref.name, namespace: ref.tenant });
      else await this.d.custom.deleteNamespacedCustomObject({ ...KUBEVIRT, namespace: ref.tenant, name: ref.name });
    } catch (e) {
      if (statusOf(e) === 404) return { outcome: 'gone' };
      throw e;
    }
    const after = await this.read(ref);
    return after === undefined ? { outcome: 'deleted', object: current } : { outcome: 'deleting', object: after };
  }

  /** The claim or machine a create under `key` made (found by the key's hash label and the key annotation). */
  async createdBy(key: string, hash: string): Promise<Resource | undefined> {
    const labelSelector = `${LABEL.keyHash}=${hash}`;
    const claim = (await this.d.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector })).items.find((o) => o.metadata?.annotations?.[ANN.idempotencyKey] === key);
    if (claim !== undefined) return resourceFromClaim(claim);
    if (!(await this.kubevirt())) return undefined;
    const vms = ((await this.d.custom.listClusterCustomObject({ ...KUBEVIRT, labelSelector })) as { items: VirtualMachineObject[] }).items;
    const vm = vms.find((o) => o.metadata?.annotations?.[ANN.idempotencyKey] === key);
    return vm && resourceFromVm(vm);
  }

  /** Everything the namespace holds (workloads, claims, machines) but this object, plus what it asks, within the space's quota. */
  private async checkQuota(op: string, spec: ResourceSpec): Promise<void> {
    const space = await this.d.reads.tenantSpace(spec.tenant);
    if (space === undefined) throw this.d.err(op, 'not-found', `tenant space ${spec.tenant} does not exist`);
    const ns = spec.tenant;
    const deps = (await this.d.apps.listNamespacedDeployment({ namespace: ns, labelSelector: MANAGED_SELECTOR })).items.map(deploymentDemand);
    const claims = (await this.d.core.listNamespacedPersistentVolumeClaim({ namespace: ns, labelSelector: MANAGED_SELECTOR })).items
      .filter((c) => !(spec.kind === 'volume' && c.metadata?.name === spec.name)).map(claimDemand);
    const vms = (await this.kubevirt())
      ? ((await this.d.custom.listNamespacedCustomObject({ ...KUBEVIRT, namespace: ns, labelSelector: MANAGED_SELECTOR })) as { items: VirtualMachineObject[] }).items
        .filter((v) => !(spec.kind === 'vm' && v.metadata?.name === spec.name)).map(vmDemand)
      : [];
    const held = [...deps, ...claims, ...vms].reduce((a, b) => addQuota(a, b), ZERO_QUOTA);
    const over = exceededClasses(addQuota(held, demandOf(spec)), space.spec.quota);
    if (over.length > 0) throw this.d.err(op, 'conflict', `quota of ${spec.tenant} exceeded for ${over.join(', ')}`, 'quota-exceeded');
  }

  private claim(ref: { tenant: string; name: string }): Promise<V1PersistentVolumeClaim | undefined> {
    return orUndefined(this.d.core.readNamespacedPersistentVolumeClaim({ name: ref.name, namespace: ref.tenant }));
  }

  private async vm(ref: { tenant: string; name: string }): Promise<VirtualMachineObject | undefined> {
    return (await orUndefined(this.d.custom.getNamespacedCustomObject({ ...KUBEVIRT, namespace: ref.tenant, name: ref.name }))) as VirtualMachineObject | undefined;
  }
}
