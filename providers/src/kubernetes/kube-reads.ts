/**
 * Reads of tenant spaces (Namespace + ResourceQuota + the managed Deployments' usage) and workloads
 * (Deployments), 404 as undefined, and the checks of a resource spec that need them (kind, shape, quota).
 */
import type { AppsV1Api, CoreV1Api, V1Deployment } from '@kubernetes/client-node';
import type { ProviderError } from '../errors.ts';
import { addQuota, demandOf, exceededClasses, resourceProblems, ZERO_QUOTA } from '../spec-checks.ts';
import type { ResourceSpec, TenantSpace } from '../spi.ts';
import { orUndefined } from './kube-calls.ts';
import { deploymentDemand, MANAGED_SELECTOR, QUOTA_NAME, quotaFromKube, tenantSpaceFrom } from './kube-objects.ts';

type ErrorFactory = (op: string, code: ProviderError['code'], message: string, reason?: string) => ProviderError;

export class KubeReads {
  constructor(
    private readonly core: CoreV1Api,
    private readonly apps: AppsV1Api,
    private readonly err: ErrorFactory,
  ) {}

  checkResource(op: string, spec: ResourceSpec): void {
    if (spec.kind !== 'workload') throw this.err(op, 'invalid', `kind ${spec.kind} is not offered by a Kubernetes cloud (capabilities.resourceKinds)`, 'unsupported-kind');
    const problems = resourceProblems(spec);
    if (problems.length > 0) throw this.err(op, 'invalid', problems.join('; '));
  }

  async checkQuota(op: string, spec: ResourceSpec): Promise<void> {
    const space = await this.tenantSpace(spec.tenant);
    if (space === undefined) throw this.err(op, 'not-found', `tenant space ${spec.tenant} does not exist`);
    const deps = await this.apps.listNamespacedDeployment({ namespace: spec.tenant, labelSelector: MANAGED_SELECTOR });
    const others = deps.items.filter((d) => d.metadata?.name !== spec.name).reduce((a, d) => addQuota(a, deploymentDemand(d)), ZERO_QUOTA);
    const over = exceededClasses(addQuota(others, demandOf(spec)), space.spec.quota);
    if (over.length > 0) throw this.err(op, 'conflict', `quota of ${spec.tenant} exceeded for ${over.join(', ')}`, 'quota-exceeded');
  }

  async tenantSpace(name: string): Promise<TenantSpace | undefined> {
    const ns = await orUndefined(this.core.readNamespace({ name }));
    if (ns === undefined) return undefined;
    const q = await orUndefined(this.core.readNamespacedResourceQuota({ name: QUOTA_NAME, namespace: name }));
    const deps = await this.apps.listNamespacedDeployment({ namespace: name, labelSelector: MANAGED_SELECTOR });
    const usage = deps.items.reduce((a, d) => addQuota(a, deploymentDemand(d)), ZERO_QUOTA);
    return tenantSpaceFrom(ns, q ? quotaFromKube(q.spec?.hard as Record<string, string>) : undefined, usage);
  }

  async mustTenantSpace(name: string): Promise<TenantSpace> {
    const t = await this.tenantSpace(name);
    if (t === undefined) throw this.err('readTenantSpace', 'not-found', `tenant space ${name} does not exist`);
    return t;
  }

  deployment(ref: { tenant: string; name: string }): Promise<V1Deployment | undefined> {
    return orUndefined(this.apps.readNamespacedDeployment({ name: ref.name, namespace: ref.tenant }));
  }

  async mustDeployment(op: string, ref: { tenant: string; name: string }): Promise<V1Deployment> {
    const d = await this.deployment(ref);
    if (d === undefined) throw this.err(op, 'not-found', `workload ${ref.tenant}/${ref.name} does not exist`);
    return d;
  }
}
