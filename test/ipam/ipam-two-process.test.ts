import { overlapsAndDuplicates, seedParents, startIpamCluster, trpcMutation, type IpamCluster } from './ipam-cluster.ts';

/**
 * Allocation across real control-plane processes: two processes on one PostgreSQL database, each batching its
 * own requests (group commit) and taking turns on the parent row lock. Clients call over HTTP (tRPC, JSON).
 */
const PG_ADMIN = process.env['GANYUN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLIENTS = 32;

describe('IPAM allocation across two control-plane processes (PostgreSQL)', () => {
  let cluster: IpamCluster;
  beforeAll(async () => {
    cluster = await startIpamCluster({ pgAdminUrl: PG_ADMIN, processes: 2, clients: CLIENTS });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  const allocate = (client: number, parentId: string, extra: Record<string, unknown> = {}) =>
    trpcMutation(cluster.products[client % 2]!.url, 'ipam.allocatePrefix', cluster.tokens[client]!, { parentId, length: 64, ...extra });

  it('never hands out one block twice, nor overlapping blocks, when both processes allocate in one parent', async () => {
    const { parents: [parent] } = await seedParents(cluster.store, 'TWO-PROC', 1);
    const got: string[] = [];
    const failures: string[] = [];
    await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < 20; i++) {
        const r = await allocate(client, parent!, { length: 60 + ((client + i) % 5) });
        if (r.status === 200) got.push(String(r.body.result!.data['cidr']));
        else failures.push(`${r.status} ${r.body.error?.message}`);
      }
    }));
    expect(failures).toEqual([]);
    expect(got.length).toBe(CLIENTS * 20);
    expect(new Set(got).size).toBe(got.length);
    const db = await overlapsAndDuplicates(cluster.store);
    expect([db.overlaps, db.duplicates]).toEqual([0, 0]);
    const [{ n }] = await cluster.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_prefixes WHERE parent_id = $1', [parent]) as [{ n: number }];
    expect(n).toBe(got.length);
    // Every allocation is in the audit trail (one record per caller per batch, listing each with its request id), same commit.
    const [{ a }] = await cluster.store.query<{ a: number }>(
      `SELECT coalesce(sum(CASE WHEN after ? 'allocations' THEN jsonb_array_length(after->'allocations') ELSE 1 END), 0)::int AS a
       FROM audit_log WHERE procedure = 'ipam.allocatePrefix' AND outcome = 'ok'`) as [{ a: number }];
    expect(a).toBe(got.length);
  }, 120_000);

  it('returns one prefix for one idempotency key sent to both processes at once', async () => {
    const { parents: [parent] } = await seedParents(cluster.store, 'TWO-PROC-KEYS', 1);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, client) => allocate(client, parent!, { idempotencyKey: 'provision-unit-360102001' })));
    const cidrs = answers.map((r) => r.status === 200 ? String(r.body.result!.data['cidr']) : `${r.status} ${r.body.error?.message}`);
    expect(new Set(cidrs).size).toBe(1);
    expect(cidrs[0]).toBe('2001:db8::/64');
    const [{ n }] = await cluster.store.query<{ n: number }>('SELECT count(*)::int AS n FROM ipam_prefixes WHERE parent_id = $1', [parent]) as [{ n: number }];
    expect(n).toBe(1);
  }, 60_000);
});
