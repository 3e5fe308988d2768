import fc from 'fast-check';
import type { AppDeps } from '../context.ts';
import { DomainError } from '../errors.ts';
import { freshDeps } from '../testing/harness.ts';
import type { QuotaLevel } from './contract.ts';
import { limit, quotaViolations, seedCloudRow, seedQuotaDepartment, seedSystem } from '../testing/quota-fixtures.ts';

/**
 * Random sequences of reserve / commit / release / change-limit / expire against a small tree (two systems
 * in one department, a third in another department of the same city), on both clouds' vCPU. After every
 * step, from the database: no row above its cap at any level, every counter equal to the sum of its
 * subtree's ledger lines, every reservation's ledger netting to exactly its one state — and the counters
 * equal to a model kept beside it. Refusals are allowed (they are domain errors and change nothing).
 */
type Step =
  | { op: 'reserve'; system: number; amount: number; ttl: 'short' | 'long'; reuseKey: boolean; batched: boolean }
  | { op: 'commit' | 'release'; pick: number }
  | { op: 'limit'; level: QuotaLevel; value: number }
  | { op: 'expire' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('reserve' as const), system: fc.integer({ min: 0, max: 2 }), amount: fc.integer({ min: 1, max: 12 }), ttl: fc.constantFrom('short' as const, 'long' as const), reuseKey: fc.boolean(), batched: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('commit' as const, 'release' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('limit' as const), level: fc.constantFrom<QuotaLevel>('system', 'department', 'city', 'province'), value: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'expire' as const }) },
);

describe('quota invariants under random operation sequences (fast-check)', () => {
  let deps: AppDeps;

  it('hold after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
        deps = await freshDeps();
        const db = deps.store;
        await seedCloudRow(db, 'qc-p');
        const deptA = await seedQuotaDepartment(db, '甲', '360102');
        const deptB = await seedQuotaDepartment(db, '乙', '3601');
        const systems = [await seedSystem(db, deptA, 'S0'), await seedSystem(db, deptA, 'S1'), await seedSystem(db, deptB, 'S2')];
        const refOf: Record<QuotaLevel, string> = { system: systems[0]!, department: deptA, city: '3601', province: '36' };
        for (const s of systems) await limit(db, 'system', s, [{ cloudId: 'qc-p', resourceClass: 'vcpu', limit: 20 }]);
        await limit(db, 'department', deptA, [{ cloudId: 'qc-p', resourceClass: 'vcpu', limit: 30 }]);
        await limit(db, 'city', '3601', [{ cloudId: 'qc-p', resourceClass: 'vcpu', limit: 40 }]);
        await limit(db, 'province', '36', [{ cloudId: 'qc-p', resourceClass: 'vcpu', limit: 45 }]);

        let clock = Date.now();
        const held: { id: string; system: number; amount: number; key: string; expiresAt: number }[] = [];
        const committedBy = [0, 0, 0];
        let lastKey: { key: string; system: number; amount: number } | null = null;
        let n = 0;
        for (const step of steps) {
          const now = new Date(clock);
          try {
            if (step.op === 'reserve') {
              const again: { key: string; system: number; amount: number } | null = step.reuseKey ? lastKey : null;
              const key: string = again ? again.key : `p-${n++}`;
              const system: number = again ? again.system : step.system;
              const amount: number = again ? again.amount : step.amount;
              // Either the contract's path or the batcher's (one-statement lock and key read, then the audit record by appendMany).
              const audited = { actorId: null, actor: 'prop', role: null, procedure: 'quotas.reserve', target: key, outcome: 'ok' as const, before: null, after: null, requestId: 'prop', error: null };
              const r = await db.transaction(async (tx) => {
                const outcomes = await deps.quotaRuntime.service.reserveMany(tx, [{ systemId: systems[system]!, items: [{ cloudId: 'qc-p', resourceClass: 'vcpu', amount }], idempotencyKey: key, ttlSeconds: step.ttl === 'short' ? 5 : 3600, ref: 'prop', actor: 'prop' }], now, step.batched ? { oneTrip: true } : {});
                // The batcher's path appends the batch's audit record in the same transaction, after the quota rows.
                if (step.batched) await deps.audit.appendMany(tx, [audited]);
                return outcomes;
              });
              const o = r[0]!;
              if (!o.ok) throw o.error;
              if (!o.replayed) held.push({ id: o.reservation.id, system, amount, key, expiresAt: new Date(o.reservation.expiresAt).getTime() });
              lastKey = { key, system, amount };
            } else if (step.op === 'commit' || step.op === 'release') {
              const h = held[step.pick % Math.max(1, held.length)];
              if (!h) continue;
              if (step.op === 'commit') await db.transaction((tx) => deps.quotaRuntime.service.commit(tx, { reservationId: h.id, actor: 'prop' }, now));
              else await db.transaction((tx) => deps.quotaRuntime.service.release(tx, { reservationId: h.id, actor: 'prop', reason: 'prop' }, now));
              held.splice(held.indexOf(h), 1);
              if (step.op === 'commit') committedBy[h.system]! += h.amount;
            } else if (step.op === 'limit') {
              await limit(db, step.level, refOf[step.level], [{ cloudId: 'qc-p', resourceClass: 'vcpu', limit: step.value }]);
            } else {
              clock += 10_000; // past every short hold
              const reaped = await db.transaction((tx) => deps.quotaRuntime.service.reapExpired(tx, new Date(clock)));
              const due = held.filter((h) => h.expiresAt <= clock).map((h) => h.id).sort();
              expect(reaped.sort()).toEqual(due);
              for (const id of reaped) held.splice(held.findIndex((h) => h.id === id), 1);
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error; // refusals are fine; anything else is a bug
          }
          const violations = await quotaViolations(db);
          const chain = await deps.audit.verify(db);
          if (!chain.ok) violations.push(`audit chain broken: ${JSON.stringify(chain)}`);
          if (violations.length) throw new Error(`after ${JSON.stringify(step)}: ${violations.join('; ')}`);
          const rows = await db.query<{ ref: string; reserved: number; committed: number }>(
            `SELECT n.ref, u.reserved, u.committed FROM quota_usage u JOIN quota_nodes n ON n.id = u.node_id WHERE n.level = 'system' ORDER BY n.ref`,
          );
          for (const [i, s] of systems.entries()) {
            const row = rows.find((r) => r.ref === s) ?? { reserved: 0, committed: 0 };
            const model = { reserved: held.filter((h) => h.system === i).reduce((a, h) => a + h.amount, 0), committed: committedBy[i]! };
            if (row.reserved !== model.reserved || row.committed !== model.committed) {
              throw new Error(`after ${JSON.stringify(step)}: system ${i} has ${row.reserved}/${row.committed}, model says ${model.reserved}/${model.committed}`);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
