/**
 * What a Kubernetes cluster can do for disaster recovery: run standby Deployments (scale them, or copy
 * them into a drill sandbox) and give a drill an isolated sandbox namespace whose NetworkPolicy denies
 * every ingress and egress. Replicas, traffic steering and replication are not the cluster's: those
 * operations are refused with `invalid / not-supported` and left out of the declared capabilities.
 *
 * Standby Deployments are found by label: `ganyun.gov.cn/dr-standby-of=<system>`.
 */
import { PatchStrategy, setHeaderOptions, type AppsV1Api, type CoreV1Api, type NetworkingV1Api, type V1Deployment, type V1NetworkPolicy } from '@kubernetes/client-node';
import { SANDBOX_LABELS, type DrObject, type DrOperation, type DrOperations, type DrRequests, type DrResult, type DrSandbox, type DrState } from '../dr.ts';
import type { ProviderError, ProviderErrorCode } from '../errors.ts';
import type { CallOptions, MutationOptions } from '../spi.ts';
import { ANN, MANAGED_BY } from './kube-objects.ts';
import { statusOf } from './kube-errors.ts';

export const KUBERNETES_DR_OPERATIONS: readonly DrOperation[] = ['createSandbox', 'deleteSandbox', 'scaleStandby'];
export const STANDBY_OF = 'ganyun.gov.cn/dr-standby-of';
const SANDBOX_POLICY = 'ganyun-dr-sandbox-deny-all';

export interface KubeDrDeps {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly net: NetworkingV1Api;
  call<T>(op: string, opts: CallOptions | undefined, fn: () => Promise<T>): Promise<T>;
  mutate<T>(op: string, request: unknown, opts: MutationOptions, fn: (stamp: { idempotencyKey: string }) => Promise<T>): Promise<T>;
  /** The provider's idempotency ledger entry for a key, if it still has one. */
  remembered(key: string): { readonly op: string; readonly result: unknown } | undefined;
  err(op: string, code: ProviderErrorCode, message: string, reason?: string): ProviderError;
}

export function kubernetesDr(d: KubeDrDeps): DrOperations {
  const ops = {
    async createSandbox(r: DrRequests['createSandbox'], stamp: { idempotencyKey: string }): Promise<DrResult> {
      const labels = { ...(r.labels ?? {}), [SANDBOX_LABELS.sandbox]: 'true', [MANAGED_BY]: 'ganyun', 'ganyun.gov.cn/system': r.system };
      const created: DrObject[] = [{ kind: 'sandbox', name: r.sandbox }, { kind: 'network-policy', name: SANDBOX_POLICY, sandbox: r.sandbox }];
      let outcome: DrResult['outcome'] = 'done';
      try {
        await d.core.createNamespace({ body: { metadata: { name: r.sandbox, labels, annotations: { [ANN.idempotencyKey]: stamp.idempotencyKey } } } });
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        const ns = await d.core.readNamespace({ name: r.sandbox });
        if (ns.metadata?.labels?.[SANDBOX_LABELS.sandbox] !== 'true') throw d.err('createSandbox', 'conflict', `namespace ${r.sandbox} exists and is not a sandbox`);
        outcome = 'already';
      }
      try {
        await d.net.createNamespacedNetworkPolicy({ namespace: r.sandbox, body: denyAll(r.sandbox) });
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
      }
      return { outcome, created };
    },

    async deleteSandbox(r: DrRequests['deleteSandbox']): Promise<DrResult> {
      try {
        const ns = await d.core.readNamespace({ name: r.sandbox });
        if (ns.metadata?.labels?.[SANDBOX_LABELS.sandbox] !== 'true') throw d.err('deleteSandbox', 'invalid', `namespace ${r.sandbox} is not a sandbox: refusing to delete it`);
        await d.core.deleteNamespace({ name: r.sandbox });
        return { outcome: 'done', created: [] };
      } catch (e) {
        if (statusOf(e) === 404) return { outcome: 'already', created: [] };
        throw e;
      }
    },

    async scaleStandby(r: DrRequests['scaleStandby']): Promise<DrResult> {
      const standby = (await d.apps.listDeploymentForAllNamespaces({ labelSelector: `${STANDBY_OF}=${r.system}` })).items.filter((x) => x.metadata?.namespace !== r.sandbox);
      if (standby.length === 0) throw d.err('scaleStandby', 'not-found', `no standby Deployment labelled ${STANDBY_OF}=${r.system}`);
      if (r.sandbox === undefined) {
        let changed = false;
        for (const dep of standby) {
          if (dep.spec?.replicas === r.replicas) continue;
          await d.apps.patchNamespacedDeploymentScale({ name: dep.metadata!.name!, namespace: dep.metadata!.namespace!, body: { spec: { replicas: r.replicas } } }, MERGE_PATCH);
          changed = true;
        }
        return { outcome: changed ? 'done' : 'already', created: [] };
      }
      const ns = await d.core.readNamespace({ name: r.sandbox }).catch((e: unknown) => {
        throw statusOf(e) === 404 ? d.err('scaleStandby', 'not-found', `sandbox ${r.sandbox} does not exist`) : e;
      });
      if (ns.metadata?.labels?.[SANDBOX_LABELS.sandbox] !== 'true') throw d.err('scaleStandby', 'invalid', `namespace ${r.sandbox} is not a sandbox`);
      const created: DrObject[] = [];
      let outcome: DrResult['outcome'] = 'already';
      for (const dep of standby) {
        const copy = sandboxCopy(dep, r.sandbox, r.replicas);
        created.push({ kind: 'workload', name: copy.metadata!.name!, sandbox: r.sandbox });
        try {
          await d.apps.createNamespacedDeployment({ namespace: r.sandbox, body: copy });
          outcome = 'done';
        } catch (e) {
          if (statusOf(e) !== 409) throw e;
        }
      }
      return { outcome, created };
    },
  };

  return {
    run<O extends DrOperation>(op: O, request: DrRequests[O], opts: MutationOptions): Promise<DrResult> {
      return d.mutate(op, request, opts, async (stamp) => {
        switch (op) {
          case 'createSandbox':
            return ops.createSandbox(request as DrRequests['createSandbox'], stamp);
          case 'deleteSandbox':
            return ops.deleteSandbox(request as DrRequests['deleteSandbox']);
          case 'scaleStandby':
            return ops.scaleStandby(request as DrRequests['scaleStandby']);
          default:
            throw d.err(op, 'invalid', `${op} is not something a Kubernetes cluster can do (not in capabilities.dr)`, 'not-supported');
        }
      });
    },

    /** From the provider's ledger while it remembers; a sandbox also from the key stamped on its namespace. */
    observeByKey(q, opts) {
      return d.call('drObserveByKey', opts, async () => {
        const seen = d.remembered(q.idempotencyKey);
        if (seen !== undefined) return seen.op === q.op ? { status: 'applied' as const, op: q.op, result: seen.result as DrResult } : { status: 'not-applied' as const, refusal: { code: 'conflict', message: `the key was used for ${seen.op}` } };
        if (q.op === 'createSandbox') {
          const found = (await d.core.listNamespace({ labelSelector: `${SANDBOX_LABELS.sandbox}=true` })).items.find((n) => n.metadata?.annotations?.[ANN.idempotencyKey] === q.idempotencyKey);
          return found ? { status: 'applied' as const, op: q.op, result: { outcome: 'done' as const, created: [{ kind: 'sandbox' as const, name: found.metadata!.name! }] } } : { status: 'not-applied' as const };
        }
        return { status: 'cannot-tell' as const, reason: 'the cluster keeps no record of this call beyond the provider process that made it' };
      });
    },

    state(opts) {
      return d.call('drState', opts, async (): Promise<DrState> => {
        const spaces = (await d.core.listNamespace({ labelSelector: `${SANDBOX_LABELS.sandbox}=true` })).items;
        const sandboxes: DrSandbox[] = [];
        for (const ns of spaces) {
          const name = ns.metadata!.name!;
          const deployments = (await d.apps.listNamespacedDeployment({ namespace: name })).items;
          const labels = ns.metadata?.labels ?? {};
          sandboxes.push({
            sandbox: name, zone: '', system: labels['ganyun.gov.cn/system'] ?? '', labels,
            objects: [{ kind: 'sandbox', name }, { kind: 'network-policy', name: SANDBOX_POLICY, sandbox: name }, ...deployments.map((x) => ({ kind: 'workload' as const, name: x.metadata!.name!, sandbox: name }))],
            createdAt: ns.metadata?.creationTimestamp ? new Date(ns.metadata.creationTimestamp).toISOString() : '',
          });
        }
        return { sites: [], sandboxes };
      });
    },
  };
}

/** Deny everything in and out: the sandbox's pods reach nothing and nothing reaches them. */
function denyAll(namespace: string): V1NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: SANDBOX_POLICY, namespace, labels: { [MANAGED_BY]: 'ganyun' } }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
}

function sandboxCopy(dep: V1Deployment, sandbox: string, replicas: number): V1Deployment {
  const labels = { ...(dep.metadata?.labels ?? {}) };
  delete labels[STANDBY_OF]; // the copy is not a standby: a later real scale must not find it
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: dep.metadata!.name!, namespace: sandbox, labels: { ...labels, [MANAGED_BY]: 'ganyun' } }, spec: { ...dep.spec!, replicas } };
}

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
