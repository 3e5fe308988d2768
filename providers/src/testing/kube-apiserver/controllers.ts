import { parseQuantity, type KubeObject, type ObjectStore } from './object-store.ts';
import type { FixtureSettings } from './test-controls.ts';

/**
 * The controllers the fixture plays: deployment status (at once with `autoReady`, else when a spec calls
 * `settleDeployments()`) and quota usage (status.used of each namespace's ResourceQuotas).
 */
export class Controllers {
  constructor(
    private readonly store: ObjectStore,
    private readonly settings: FixtureSettings,
  ) {}

  afterWrite(plural: string, obj: KubeObject): KubeObject {
    if (plural !== 'deployments') return obj;
    const ns = obj.metadata.namespace as string;
    let out = obj;
    if (this.settings.autoReady === true && this.store.get('deployments', ns, obj.metadata.name) !== undefined) out = this.settle(obj);
    this.recountQuota(ns);
    return out;
  }

  settleAll(): void {
    const touched = new Set<string>();
    for (const d of this.store.list('deployments')) {
      const replicas = Number(d.spec?.['replicas'] ?? 1);
      if (d.status?.['observedGeneration'] === d.metadata.generation && d.status?.['readyReplicas'] === replicas) continue;
      this.settle(d);
      touched.add(d.metadata.namespace as string);
    }
    for (const ns of touched) this.recountQuota(ns);
  }

  private settle(d: KubeObject): KubeObject {
    const replicas = Number(d.spec?.['replicas'] ?? 1);
    d.status = { observedGeneration: d.metadata.generation, replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas };
    return this.store.put('deployments', d, 'MODIFIED');
  }

  /** Plays the quota controller: status.used from the deployments' requests × replicas. */
  private recountQuota(ns: string): void {
    const used: Record<string, number> = { 'requests.cpu': 0, 'requests.memory': 0, 'requests.nvidia.com/gpu': 0 };
    for (const d of this.store.list('deployments', ns)) {
      const replicas = Number(d.spec?.['replicas'] ?? 1);
      const tpl = d.spec?.['template'] as { spec?: { containers?: { resources?: { requests?: Record<string, string> } }[] } } | undefined;
      for (const ctr of tpl?.spec?.containers ?? []) {
        const r = ctr.resources?.requests ?? {};
        used['requests.cpu'] += parseQuantity(r['cpu']) * replicas;
        used['requests.memory'] += parseQuantity(r['memory']) * replicas;
        used['requests.nvidia.com/gpu'] += parseQuantity(r['nvidia.com/gpu']) * replicas;
      }
    }
    for (const q of this.store.list('resourcequotas', ns)) {
      const next = {
        hard: (q.spec?.['hard'] as Record<string, string>) ?? {},
        used: { 'requests.cpu': String(used['requests.cpu']), 'requests.memory': String(used['requests.memory']), 'requests.nvidia.com/gpu': String(used['requests.nvidia.com/gpu']) },
      };
      if (JSON.stringify(q.status) === JSON.stringify(next)) continue;
      q.status = next;
      this.store.put('resourcequotas', q, 'MODIFIED');
    }
  }
}
