import { seededRandom } from '../../control-plane/src/seeded-random.ts';
import { seedParents, overlapsAndDuplicates } from '../ipam/ipam-cluster.ts';
import { CLOUD, quotaViolations } from '../quota/quota-cluster.ts';

export { CLOUD };
import { limit, seedQuotaDepartment, seedSystem } from '../../control-plane/src/testing/quota-fixtures.ts';
import { QuotaServiceImpl } from '../../control-plane/src/quotas/quota-service.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { trpc, type Answer } from './lb-cluster.ts';

/**
 * The mixed workload of the replica specs and `npm run bench -- replicas`: many clients, each a loop of reads
 * and writes through one URL (HAProxy), chosen by a seeded generator so a run can be repeated. Writes are quota
 * reservations and IPAM allocations, each with its own idempotency key; now and then a client sends an earlier
 * key again (a client retry), which must return what the first answer returned. Every request that does not get
 * the answer its kind allows is a failure, counted and kept with its reason.
 */
export type Family = 'auth.me' | 'quotas.read' | 'ipam.read' | 'quotas.reserve' | 'ipam.allocatePrefix' | 'retry';

export interface Target {
  hot: string;
  quotaNodeId: string;
  vrfId: string;
  parents: string[];
}

/**
 * A hot system whose department binds before the system does (the department has room − 10 left once a sibling's
 * committed 100 are counted), so that a long run fills the quota; and three IPv6 parents to allocate /64s in.
 * Each call seeds its own department and VRF (no city or province limit), so several workloads share a database.
 */
export async function seedWorkload(store: Store, name: string, room = 1500): Promise<Target> {
  const departmentId = await seedQuotaDepartment(store, `${name}-局`, '360102');
  const sibling = await seedSystem(store, departmentId, `${name}-兄弟系统`);
  const hot = await seedSystem(store, departmentId, `${name}-热点系统`);
  const vcpu = (n: number) => [{ cloudId: CLOUD, resourceClass: 'vcpu' as const, limit: n }];
  await limit(store, 'system', sibling, vcpu(100));
  await limit(store, 'system', hot, vcpu(room));
  await limit(store, 'department', departmentId, vcpu(room + 90));
  const quotas = new QuotaServiceImpl();
  const r = await store.transaction((tx) => quotas.reserve(tx, { systemId: sibling, items: [{ cloudId: CLOUD, resourceClass: 'vcpu', amount: 100 }], idempotencyKey: `fill-${sibling}`, ttlSeconds: 86_400, ref: 'fill', actor: 'seed' }));
  await store.transaction((tx) => quotas.commit(tx, { reservationId: r.id, actor: 'seed' }));
  const { vrfId, parents } = await seedParents(store, `${name}-VRF`, 3);
  const [node] = await store.query<{ id: string }>(`SELECT id FROM quota_nodes WHERE level = 'system' AND ref = $1`, [hot]);
  return { hot, quotaNodeId: node!.id, vrfId, parents };
}

export interface Outcomes {
  requests: number;
  failures: string[];
  byFamily: Record<Family, number[]>;
  refused: number;
  /** 503 answers (only with `acceptUnavailable`: the database is down), each retried write counted once per 503. */
  unavailable: number;
  /** idempotency key → reservation id / allocated CIDR, from the first answer. */
  reserved: Map<string, string>;
  allocated: Map<string, string>;
}

export function newOutcomes(): Outcomes {
  return { requests: 0, failures: [], byFamily: { 'auth.me': [], 'quotas.read': [], 'ipam.read': [], 'quotas.reserve': [], 'ipam.allocatePrefix': [], retry: [] }, refused: 0, unavailable: 0, reserved: new Map(), allocated: new Map() };
}

export interface LoadOptions {
  url: string;
  tokens: string[];
  target: Target;
  seed: number;
  /** Requests per client; or run until `until()` is true. */
  perClient?: number;
  until?: () => boolean;
  outcomes?: Outcomes;
  /**
   * A 503 is a clean refusal (the database is down), not a failure: counted as `unavailable`; a read moves on, a
   * write is sent again with the same key and input after 250 ms until it gets another answer, as a client
   * should (so the database can still be compared key by key afterwards).
   */
  acceptUnavailable?: boolean;
}

/** Runs one client per token until done; resolves with what happened. */
export async function runLoad(opts: LoadOptions): Promise<Outcomes> {
  const o = opts.outcomes ?? newOutcomes();
  const { target } = opts;
  await Promise.all(opts.tokens.map(async (token, c) => {
    const random = seededRandom(opts.seed * 1000 + c);
    const mine: { kind: 'reserve' | 'allocate'; key: string; input: Record<string, unknown> }[] = [];
    for (let j = 0; opts.perClient !== undefined ? j < opts.perClient : !opts.until!(); j++) {
      const x = random();
      let family: Family;
      let call: () => Promise<Answer>;
      let check: (a: Answer) => string | null;
      const ok200 = (a: Answer) => (a.status === 200 ? null : `${a.status} ${a.body.error?.data?.reason?.code ?? ''} ${a.body.error?.message ?? ''}`);
      if (x < 0.25) {
        family = 'auth.me';
        call = () => trpc(opts.url, 'query', 'auth.me', token, undefined);
        check = ok200;
      } else if (x < 0.35) {
        family = 'quotas.read';
        call = () => trpc(opts.url, 'query', 'quotas.node', token, { id: target.quotaNodeId });
        check = ok200;
      } else if (x < 0.45) {
        family = 'ipam.read';
        call = () => trpc(opts.url, 'query', 'ipam.prefixes', token, { vrfId: target.vrfId, parentId: null, limit: 10 });
        check = ok200;
      } else if (x < 0.7) {
        family = 'quotas.reserve';
        const key = `s${opts.seed}-c${c}-q${j}`;
        const input = { systemId: target.hot, items: [{ cloudId: CLOUD, resourceClass: 'vcpu', amount: 1 + Math.floor(random() * 3) }], idempotencyKey: key, ttlSeconds: 3600, ref: `client-${c}` };
        call = () => trpc(opts.url, 'mutation', 'quotas.reserve', token, input);
        check = (a) => {
          if (a.status === 422 && a.body.error?.data?.reason?.code === 'quota.exceeded') {
            o.refused++;
            return null;
          }
          if (a.status !== 200) return ok200(a);
          const id = String(a.body.result!.data['id']);
          if (o.reserved.has(key)) return `key ${key} answered twice`;
          o.reserved.set(key, id);
          mine.push({ kind: 'reserve', key, input });
          return null;
        };
      } else if (x < 0.95 || mine.length === 0) {
        family = 'ipam.allocatePrefix';
        const key = `s${opts.seed}-c${c}-p${j}`;
        const input = { parentId: target.parents[Math.floor(random() * target.parents.length)]!, length: 64, idempotencyKey: key };
        call = () => trpc(opts.url, 'mutation', 'ipam.allocatePrefix', token, input);
        check = (a) => {
          if (a.status !== 200) return ok200(a);
          o.allocated.set(key, String(a.body.result!.data['cidr']));
          mine.push({ kind: 'allocate', key, input });
          return null;
        };
      } else {
        // A client retry: an earlier write again, same key and input; the answer must be the first one.
        family = 'retry';
        const earlier = mine[Math.floor(random() * mine.length)]!;
        call = () => trpc(opts.url, 'mutation', earlier.kind === 'reserve' ? 'quotas.reserve' : 'ipam.allocatePrefix', token, earlier.input);
        check = (a) => {
          if (a.status !== 200) return ok200(a);
          const got = String(a.body.result!.data[earlier.kind === 'reserve' ? 'id' : 'cidr']);
          const first = (earlier.kind === 'reserve' ? o.reserved : o.allocated).get(earlier.key);
          return got === first ? null : `retry of ${earlier.key} answered ${got}, the first answer was ${first}`;
        };
      }
      const started = performance.now();
      let problem: string | null;
      try {
        let answer = await call();
        while (opts.acceptUnavailable && answer.status === 503) {
          o.unavailable++;
          if (family === 'auth.me' || family === 'quotas.read' || family === 'ipam.read') break;
          await new Promise((r) => setTimeout(r, 250));
          answer = await call();
        }
        problem = opts.acceptUnavailable && answer.status === 503 ? null : check(answer);
      } catch (e) {
        problem = `no answer: ${(e as Error).message}`;
      }
      o.byFamily[family].push(performance.now() - started);
      o.requests++;
      if (problem) o.failures.push(`${family}: ${problem}`);
    }
  }));
  return o;
}

/**
 * What the database holds afterwards, compared with what the clients were told, by idempotency key: one row per
 * key that was granted and none for the others, the id or CIDR the client got; no quota level over its cap and
 * every counter equal to its ledger (quotaViolations); no overlapping or duplicate prefix. Returns the problems (empty when right).
 */
export async function databaseProblems(store: Store, seed: number, o: Outcomes): Promise<string[]> {
  const problems: string[] = [];
  const reservations = await store.query<{ key: string; id: string }>(`SELECT idempotency_key AS key, id FROM quota_reservations WHERE idempotency_key LIKE $1`, [`s${seed}-%`]);
  const inDb = new Map(reservations.map((r) => [r.key, r.id]));
  for (const [key, id] of o.reserved) if (inDb.get(key) !== id) problems.push(`reservation ${key}: the client got ${id}, the database has ${inDb.get(key) ?? 'nothing'}`);
  for (const key of inDb.keys()) if (!o.reserved.has(key)) problems.push(`reservation ${key} is in the database but no client was granted it`);
  const prefixes = await store.query<{ key: string; cidr: string }>(`SELECT idempotency_key AS key, cidr::text AS cidr FROM ipam_prefixes WHERE idempotency_key LIKE $1`, [`s${seed}-%`]);
  const cidrs = new Map(prefixes.map((p) => [p.key, p.cidr]));
  for (const [key, cidr] of o.allocated) if (cidrs.get(key) !== cidr) problems.push(`prefix ${key}: the client got ${cidr}, the database has ${cidrs.get(key) ?? 'nothing'}`);
  for (const key of cidrs.keys()) if (!o.allocated.has(key)) problems.push(`prefix ${key} is in the database but no client was given it`);
  problems.push(...(await quotaViolations(store)).map((v) => `quota: ${JSON.stringify(v)}`));
  const ipam = await overlapsAndDuplicates(store);
  if (ipam.overlaps || ipam.duplicates) problems.push(`ipam: ${ipam.overlaps} overlaps, ${ipam.duplicates} duplicates`);
  return problems;
}

/** p50 / p99 in ms of each family. */
export function percentiles(o: Outcomes): Record<string, { n: number; p50: number; p99: number }> {
  const out: Record<string, { n: number; p50: number; p99: number }> = {};
  for (const [family, xs] of Object.entries(o.byFamily)) {
    if (!xs.length) continue;
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 10) / 10;
    out[family] = { n: s.length, p50: at(0.5), p99: at(0.99) };
  }
  return out;
}
