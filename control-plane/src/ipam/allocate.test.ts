import fc from 'fast-check';
import type { AppDeps } from '../context.ts';
import { freshDeps } from '../testing/harness.ts';
import { allocateInParent, freeSpace, lockParents, type PrefixRequest } from './allocate.ts';
import { AllocationBatcher } from './batcher.ts';
import { blockFromDb, endOf, freeRanges, sizeOf, sumSizes } from './ip-math.ts';
import { ipamRepo } from './ipam-repo.ts';
import { createPrefix, deletePrefix } from './prefixes.ts';
import { STRATEGIES } from './strategy.ts';
import { createVrf } from './vrfs.ts';

const request = (parentId: string, length: number, over: Partial<PrefixRequest> = {}): PrefixRequest => ({
  parentId, length, strategy: 'first-fit', idempotencyKey: null, kind: 'assigned', status: 'active', unitCode: null, planeId: null, description: '', ...over,
});

/** Invariants read back from the database: siblings never overlap, all inside the parent, used + free = size. */
async function checkInvariants(deps: AppDeps, parentId: string) {
  const parent = (await ipamRepo.prefixById(deps.store, parentId))!;
  const block = blockFromDb(parent.cidr);
  const children = (await deps.store.query<{ c: string }>('SELECT cidr::text AS c FROM ipam_prefixes WHERE parent_id = $1 ORDER BY cidr', [parentId]))
    .map((r) => blockFromDb(r.c));
  const [overlaps] = await deps.store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ipam_prefixes a JOIN ipam_prefixes b ON a.parent_id = $1 AND b.parent_id = $1 AND a.id < b.id AND a.cidr && b.cidr`, [parentId]);
  const [outside] = await deps.store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ipam_prefixes c JOIN ipam_prefixes p ON p.id = c.parent_id WHERE p.id = $1 AND NOT c.cidr << p.cidr`, [parentId]);
  expect([overlaps!.n, outside!.n]).toEqual([0, 0]);
  const used = children.reduce((n, c) => n + sizeOf(c), 0n);
  const free = await freeSpace(deps.store, block, parentId, null);
  expect(sumSizes(free.ranges) + used).toBe(sizeOf(block));
  expect(free.ranges).toEqual(freeRanges({ start: block.start, end: endOf(block) }, children.map((c) => ({ start: c.start, end: endOf(c) }))));
  // The fill hint never skips free space: everything before its end is occupied.
  const [hint] = await deps.store.query<{ fill: string | null }>('SELECT fill_cidr::text AS fill FROM ipam_prefixes WHERE id = $1', [parentId]);
  if (hint!.fill && free.ranges.length) expect(free.ranges[0]!.start >= endOf(blockFromDb(hint!.fill))).toBeTrue();
  // The cut first page (what first-fit reads) must never claim space that is used.
  const page = await freeSpace(deps.store, block, parentId, 3);
  for (const r of page.ranges) expect(free.ranges.some((f) => f.start <= r.start && r.end <= f.end)).toBeTrue();
}

describe('ipam allocation (service layer, database)', () => {
  let deps: AppDeps;
  let vrfId: string;
  beforeEach(async () => {
    deps = await freshDeps();
    vrfId = (await createVrf(deps.store, { name: 'PROP', rd: null, importTargets: [], exportTargets: [], planeId: null, departmentId: null, kind: 'extranet', migrationState: null, description: '' })).id;
  });

  it('keeps its invariants over random allocate / free sequences (fast-check)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('10.20.0.0/22', '2001:db8:40::/52'),
        fc.array(fc.oneof(
          fc.record({ op: fc.constant('alloc' as const), extra: fc.integer({ min: 1, max: 8 }), strategy: fc.constantFrom(...STRATEGIES), batch: fc.integer({ min: 1, max: 4 }) }),
          fc.record({ op: fc.constant('free' as const), pick: fc.nat() }),
        ), { maxLength: 25 }),
        async (cidr, ops) => {
          const parent = await createPrefix(deps.store, { vrfId, cidr: cidr.replace(/^10\.20/, `10.${20 + (n % 200)}`).replace(':40::', `:${(0x40 + n).toString(16)}::`), kind: 'container', status: 'active' });
          n++;
          const batcher = new AllocationBatcher(deps.store, deps.audit);
          const length = Number(parent.cidr.split('/')[1]);
          for (const o of ops) {
            if (o.op === 'alloc') {
              const strategy = parent.family === 'ipv4' && o.strategy === 'nibble' ? 'first-fit' : o.strategy;
              // A small batch at once: the group-commit path, several blocks chosen in one transaction.
              await Promise.all(Array.from({ length: o.batch }, () => batcher.submit(request(parent.id, length + o.extra, { strategy })).catch((e: Error) => {
                if (!/no free/.test(e.message)) throw e;
              })));
            } else {
              const kids = await deps.store.query<{ id: string }>('SELECT id FROM ipam_prefixes WHERE parent_id = $1 ORDER BY cidr', [parent.id]);
              if (kids.length) await deps.store.transaction((tx) => deletePrefix(tx, kids[o.pick % kids.length]!.id));
            }
          }
          await checkInvariants(deps, parent.id);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('serialises concurrent transactions on the parent row: never an overlap, never a duplicate', async () => {
    const parent = await createPrefix(deps.store, { vrfId, cidr: '2001:db8:1::/48', kind: 'container', status: 'active' });
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => deps.store.transaction(async (tx) => {
      const parents = await lockParents(tx, [parent.id]);
      const [o] = await allocateInParent(tx, parents.get(parent.id)!, [request(parent.id, 60 + (i % 5))]);
      if (!o!.ok) throw o!.error;
      return o!.prefix.cidr;
    })));
    expect(new Set(got).size).toBe(40);
    await checkInvariants(deps, parent.id);
  });

  it('keeps two batchers (as two processes have) on one parent apart, and one key one prefix across them', async () => {
    const parent = await createPrefix(deps.store, { vrfId, cidr: '2001:db8:2::/48', kind: 'container', status: 'active' });
    const a = new AllocationBatcher(deps.store, deps.audit);
    const b = new AllocationBatcher(deps.store, deps.audit);
    const calls = Array.from({ length: 120 }, (_, i) => (i % 2 ? a : b).submit(request(parent.id, 64, { idempotencyKey: i % 15 === 0 ? 'shared-key' : null })));
    const got = await Promise.all(calls);
    const keyed = got.filter((_, i) => i % 15 === 0).map((g) => g.prefix.id);
    expect(new Set(keyed).size).toBe(1);
    expect(new Set(got.map((g) => g.prefix.cidr)).size).toBe(120 - 8 + 1);
    await checkInvariants(deps, parent.id);
  });

  it('fills a parent exactly, then says it is full', async () => {
    const parent = await createPrefix(deps.store, { vrfId, cidr: '192.0.2.0/29', kind: 'container', status: 'active' });
    const batcher = new AllocationBatcher(deps.store, deps.audit);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => batcher.submit(request(parent.id, 31))));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ prefix: { cidr: string } }>).value.prefix.cidr).sort();
    expect(ok).toEqual(['192.0.2.0/31', '192.0.2.2/31', '192.0.2.4/31', '192.0.2.6/31']);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason.message))).toEqual(Array(6).fill('no free /31 left in 192.0.2.0/29 (first-fit)'));
    await checkInvariants(deps, parent.id);
  });
});
