import { InputError } from '../errors.ts';

export interface StepSpec {
  key: string;
  action: string;
  params: unknown;
  dependsOn: string[];
  maxAttempts?: number;
}

/**
 * Checks that steps form a DAG: unique keys, known dependencies, no cycle. A cycle is reported by its
 * members in order ("a → b → c → a") so the person who wrote the plan can find it.
 */
export function validateDag(steps: StepSpec[]): void {
  const byKey = new Map<string, StepSpec>();
  for (const s of steps) {
    if (byKey.has(s.key)) throw new InputError(`step key ${s.key} is used twice`, 'steps');
    byKey.set(s.key, s);
  }
  for (const s of steps) {
    for (const d of s.dependsOn) if (!byKey.has(d)) throw new InputError(`step ${s.key} depends on unknown step ${d}`, 'steps');
  }
  const cycle = findCycle(steps.map((s) => s.key), (k) => byKey.get(k)!.dependsOn);
  if (cycle) throw new InputError(`steps form a cycle: ${cycle.join(' → ')}`, 'steps');
}

/** Iterative DFS (plans have thousands of steps: no recursion depth limits). Returns a cycle or null. */
export function findCycle(nodes: string[], edges: (n: string) => string[]): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  for (const start of nodes) {
    if (state.has(start)) continue;
    const path: string[] = [];
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 1);
    path.push(start);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const out = edges(top.node);
      if (top.next < out.length) {
        const n = out[top.next++]!;
        if (state.get(n) === 1) return [...path.slice(path.indexOf(n)), n];
        if (!state.has(n)) {
          state.set(n, 1);
          path.push(n);
          stack.push({ node: n, next: 0 });
        }
      } else {
        state.set(top.node, 2);
        path.pop();
        stack.pop();
      }
    }
  }
  return null;
}
