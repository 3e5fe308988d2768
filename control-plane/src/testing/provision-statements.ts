import { WorkflowRunner } from '../engine/runner.ts';
import type { Queryable, Store } from '../store/store.ts';
import { onboardingWorld, systemInput, type World } from './onboarding-fixtures.ts';
import { seedResourcePools } from './resource-pools.ts';
import { testStore } from './test-store.ts';

/**
 * Specs and bench/provision-statements.ts only: how many statements the control plane sends to the store for one
 * provisioned request (submit, the department's and the operator's approvals, and the provisioning workflow with
 * its runner's claims and records), counted on the store under every wrapper, inside transactions too.
 *
 * Deterministic: the requests go one at a time through a runner of their own that never polls (it is woken after
 * the approval, as NOTIFY wakes the server's runner, and wakes itself as steps end), and the wait for the workflow's
 * end reads the store past the counter.
 */
export interface StatementCount {
  /** Statements per request (each request's own count, in order). */
  perRequest: number[];
  /** Transactions per request (each one a BEGIN and a COMMIT besides its statements). */
  transactionsPerRequest: number[];
  /** The statements of all requests by their first words (SELECT … FROM table, INSERT INTO table …), most first. */
  byShape: [string, number][];
  /** The last request's statements in order (whitespace folded, cut at 160 characters). */
  last: string[];
}

/** Wraps the shared test store's query and transaction so that calls are counted while `on`. */
function counter(raw: Store) {
  const query = raw.query.bind(raw);
  const transaction = raw.transaction.bind(raw);
  const state = { on: false, statements: 0, transactions: 0, shapes: new Map<string, number>(), trace: [] as string[] };
  const count = (sql: string) => {
    if (!state.on) return;
    state.statements++;
    state.trace.push(sql.replace(/\s+/g, ' ').trim().slice(0, 160));
    const shape = shapeOf(sql);
    state.shapes.set(shape, (state.shapes.get(shape) ?? 0) + 1);
  };
  const counted = (q: Queryable): Queryable => ({
    query: <T>(sql: string, params?: readonly unknown[]) => {
      count(sql);
      return q.query<T>(sql, params);
    },
  });
  raw.query = <T>(sql: string, params?: readonly unknown[]) => {
    count(sql);
    return query<T>(sql, params);
  };
  raw.transaction = <T>(fn: (tx: Queryable) => Promise<T>) => {
    if (state.on) state.transactions++;
    return transaction((tx) => fn(counted(tx)));
  };
  return {
    state,
    /** The store's own query, not counted. */
    uncounted: query,
    restore() {
      raw.query = query;
      raw.transaction = transaction;
    },
  };
}

/** The first words of a statement, enough to tell its kind and table apart. */
function shapeOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  const table = /\b(?:FROM|INTO|UPDATE)\s+([a-z_]+)/i.exec(s)?.[1] ?? '';
  return `${s.split(' ')[0]!.toUpperCase()} ${table}`.trim();
}

/**
 * Counts the statements of `n` requests of one host each, one after the other, on a system onboarded on the
 * simulated nanchang cloud with a dual-stack segment already provisioned (not counted). Fails if a request does
 * not end provisioned.
 */
export async function countProvisionStatements(n: number): Promise<StatementCount> {
  const w: World = await onboardingWorld();
  const raw = await testStore();
  let c: ReturnType<typeof counter> | undefined;
  let runner: WorkflowRunner | undefined;
  try {
    await seedResourcePools(w.deps.store, ['nanchang']);
    const systemId = (await w.as.user.systems.create(systemInput({ name: '计数系统' }))).id;
    const onboarding = await w.as.user.onboarding.start({
      systemId, cloudId: 'nanchang',
      limits: [{ resourceClass: 'vcpu', limit: 1000 }, { resourceClass: 'memoryGiB', limit: 4000 }, { resourceClass: 'storageGiB', limit: 100_000 }, { resourceClass: 'ipv4Addresses', limit: 1024 }, { resourceClass: 'ipv6Prefixes64', limit: 16 }],
    });
    if ((await w.settled(onboarding.workflowId)).status !== 'succeeded') throw new Error('onboarding failed');
    const deliver = async (title: string, resources: unknown[]) => {
      const r = await w.as.user.requests.submit({ systemId, cloudId: 'nanchang', title, resources: resources as never });
      await w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
      const approved = await w.as.operator.requests.approve({ id: r.id, reason: '同意' });
      return approved.workflowId!;
    };
    const first = await deliver('网段', [{ kind: 'segment', name: 'net', network: 'extranet', ipv4Length: 26, dualStack: true }]);
    if ((await w.settled(first)).status !== 'succeeded') throw new Error('the segment request failed');

    // A runner that never polls: idle claims would depend on time.
    await w.runner.stop();
    runner = new WorkflowRunner(w.deps, { owner: 'statement-counter', concurrency: 8, leaseMs: 60_000, pollMs: 3_600_000, retryBaseMs: 2 });
    runner.start();
    c = counter(raw);
    const perRequest: number[] = [];
    const transactionsPerRequest: number[] = [];
    for (let i = 0; i < n; i++) {
      c.state.on = true;
      c.state.trace = [];
      const s0 = c.state.statements;
      const t0 = c.state.transactions;
      const workflowId = await deliver(`主机 ${i}`, [{ kind: 'host', name: `h${i}`, flavour: 'c1m2', systemDiskGiB: 40, arch: 'x86_64', image: 'kylin-v10-sp3', segment: 'net' }]);
      runner.wake();
      await ended(c.uncounted, workflowId);
      // The runner's last claim (after the last step) ends within a few milliseconds: wait until nothing more comes.
      for (let last = -1; last !== c.state.statements;) {
        last = c.state.statements;
        await new Promise((r) => setTimeout(r, 40));
      }
      c.state.on = false;
      perRequest.push(c.state.statements - s0);
      transactionsPerRequest.push(c.state.transactions - t0);
    }
    return { perRequest, transactionsPerRequest, byShape: [...c.state.shapes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])), last: c.state.trace };
  } finally {
    c?.restore();
    await runner?.stop();
    await w.stop();
  }

  async function ended(query: Store['query'], workflowId: string): Promise<void> {
    for (let i = 0; ; i++) {
      const [row] = await query<{ status: string; error: string | null }>('SELECT status, error FROM workflows WHERE id = $1', [workflowId]);
      if (row && ['succeeded', 'failed', 'cancelled', 'needs-attention'].includes(row.status)) {
        if (row.status !== 'succeeded') throw new Error(`workflow ${workflowId} ended ${row.status}: ${row.error}`);
        return;
      }
      if (i > 2000) throw new Error(`workflow ${workflowId} still running`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
