/**
 * The crash and replica tests: a provisioning workflow written straight into the database, as if a request had
 * been approved. The control-plane processes under test run its steps; this process only starts it.
 */
import { ActionRegistry } from '../../control-plane/src/engine/actions.ts';
import type { StepSpec } from '../../control-plane/src/engine/dag.ts';
import { WorkflowEngine } from '../../control-plane/src/engine/engine.ts';
import type { Store } from '../../control-plane/src/store/store.ts';

/**
 * Starts a workflow that creates the tenant space `tenant` on `cloudId` and then `resources` VMs (`vm-0`…) of
 * `arch` in it; returns its id and the idempotency keys of its steps (`<id>/<step>`).
 */
export async function startProvisioning(
  store: Store,
  opts: { cloudId: string; tenant: string; resources: number; arch: 'x86_64' | 'arm64'; createdBy: string },
): Promise<{ id: string; keys: string[] }> {
  const { cloudId, tenant, resources, arch, createdBy } = opts;
  const actions = new ActionRegistry();
  // Only the names matter here: the engine checks that the actions exist; the control-plane processes run them.
  for (const name of ['cloud.createTenantSpace', 'cloud.createResource']) actions.register(name, { run: async () => { throw new Error('runs in the control plane'); } });
  const steps: StepSpec[] = [
    { key: 'space', action: 'cloud.createTenantSpace', dependsOn: [], params: { cloudId, spec: { name: tenant, quota: { vcpu: 1000, memoryGiB: 4000, storageGiB: 100000, gpu: 0 } } } },
    ...Array.from({ length: resources }, (_, i) => ({
      key: `vm-${i}`, action: 'cloud.createResource', dependsOn: ['space'],
      params: { cloudId, spec: { tenant, kind: 'vm', name: `vm-${i}`, arch, image: 'kylin-v10-sp3', size: { vcpu: 2, memoryGiB: 4, storageGiB: 40 } } },
    })),
  ];
  const id = await store.transaction((tx) => new WorkflowEngine(actions).start(tx, { kind: 'provisioning', title: `provision ${tenant}`, input: {}, departmentId: null, createdBy, steps }));
  return { id, keys: steps.map((s) => `${id}/${s.key}`) };
}
