import { findCycle } from '../engine/dag.ts';
import { InputError } from '../errors.ts';

/**
 * Dependencies between business systems form a DAG. Replacing one system's dependencies is checked
 * against the whole graph; a cycle is refused and named by the systems' names in order
 * ("A → B → C → A"), so the person editing can see which link to drop.
 */
export function assertNoCycle(
  edges: { systemId: string; dependsOnId: string }[],
  change: { systemId: string; dependsOn: string[] },
  nameOf: (id: string) => string,
): void {
  const out = new Map<string, string[]>();
  for (const e of edges) if (e.systemId !== change.systemId) out.set(e.systemId, [...(out.get(e.systemId) ?? []), e.dependsOnId]);
  out.set(change.systemId, change.dependsOn);
  // Start from the changed system so a cycle is named from it.
  const nodes = [...new Set([change.systemId, ...out.keys(), ...[...out.values()].flat()])];
  const cycle = findCycle(nodes, (n) => out.get(n) ?? []);
  if (cycle) throw new InputError(`dependencies would form a cycle: ${cycle.map(nameOf).join(' → ')}`, 'dependsOn');
}
