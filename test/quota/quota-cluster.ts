import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '@ganyun/providers';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../control-plane/src/auth/password.ts';
import { issueToken } from '../../control-plane/src/auth/sessions.ts';
import { newId } from '../../control-plane/src/ids.ts';
import { limit, seedQuotaDepartment, seedSystem } from '../../control-plane/src/quotas/quota-fixtures.ts';
import { QuotaServiceImpl } from '../../control-plane/src/quotas/quota-service.ts';
import { openPostgresStore } from '../../control-plane/src/store/postgres-store.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { usersRepo } from '../../control-plane/src/store/users-repo.ts';
import { createScratchDatabase } from '../../control-plane/src/testing/test-store.ts';
import { startProduct, type RunningProduct } from '../support/product.ts';

/**
 * Control-plane processes on one scratch PostgreSQL database, with one simulated cloud (empty, no syncs in
 * the way) and a quota tree to reserve on: used by the two-process quota specs and by `npm run bench -- quota`.
 */
export const CLOUD = 'jx-province';

export interface QuotaCluster {
  products: RunningProduct[];
  store: Store;
  dbUrl: string;
  /** One session token per client (tokens are touched on each use: a shared one would be a hot row of its own). */
  tokens: string[];
  stop(): Promise<void>;
}

export async function startQuotaCluster(opts: { pgAdminUrl: string; processes: number; clients: number; env?: Record<string, string> }): Promise<QuotaCluster> {
  const db = await createScratchDatabase(opts.pgAdminUrl);
  const config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
  const entry = config.clouds.find((c) => c.id === CLOUD)!;
  const dir = await mkdtemp(join(tmpdir(), 'ganyun-quota-'));
  const federationFile = join(dir, 'federation.json');
  await writeFile(federationFile, JSON.stringify({ version: 1, clouds: [{ ...entry, sim: { ...entry.sim!, initialResources: 0, replication: [] } }] }));
  const env = {
    DATABASE_URL: db.url, GANYUN_SECRET_KEY: randomBytes(32).toString('hex'), GANYUN_FEDERATION_CONFIG: federationFile,
    GANYUN_ADMIN_PASSWORD: 'Quota-Cluster-Admin-1', GANYUN_SYNC_INTERVAL_SECONDS: '3600', GANYUN_HEALTH_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'warn', ...opts.env,
  };
  const products: RunningProduct[] = [];
  let store: Store | undefined;
  try {
    products.push(await startProduct(env)); // the first one migrates and registers the cloud
    products.push(...(await Promise.all(Array.from({ length: opts.processes - 1 }, () => startProduct(env)))));
    store = await openPostgresStore(db.url, 8);
    const user = newId();
    await usersRepo.insert(store, { id: user, username: 'quota-operator', displayName: 'Quota operator', departmentId: null, roles: ['cloud-operator'], passwordHash: await hashPassword('Quota-Operator-1'), mustChangePassword: false });
    const tokens: string[] = [];
    for (let i = 0; i < opts.clients; i++) tokens.push((await issueToken(store, { userId: user, kind: 'session', name: null, ttlMinutes: 120 })).token);
    const s = store;
    return {
      products, store: s, dbUrl: db.url, tokens,
      async stop() {
        for (const p of products) await p.stop().catch(() => undefined);
        await s.close();
        await db.drop();
      },
    };
  } catch (error) {
    for (const p of products) await p.stop().catch(() => undefined);
    await store?.close();
    await db.drop();
    throw error;
  }
}

/**
 * One hot system whose parents are nearly as tight: the system may use `room`, and because of what others
 * already hold, its department, city and province have only `room + slack` left each (a negative slack makes the
 * parents the binding limit).
 */
export async function seedHotQuota(store: Store, room: number, slack: number, prefix = ''): Promise<{ hot: string; departmentId: string }> {
  const departmentId = await seedQuotaDepartment(store, `${prefix}热点局`, '360102');
  const neighbourDept = await seedQuotaDepartment(store, `${prefix}邻局`, '3601');
  const farDept = await seedQuotaDepartment(store, `${prefix}远局`, '3607');
  const sibling = await seedSystem(store, departmentId, '兄弟系统');
  const cousin = await seedSystem(store, neighbourDept, '邻居系统');
  const far = await seedSystem(store, farDept, '远方系统');
  const hot = await seedSystem(store, departmentId, '热点系统');
  const vcpu = (n: number) => [{ cloudId: CLOUD, resourceClass: 'vcpu' as const, limit: n }];
  for (const s of [sibling, cousin, far]) await limit(store, 'system', s, vcpu(1000));
  await limit(store, 'system', hot, vcpu(room));
  await limit(store, 'department', departmentId, vcpu(room + slack + 100));
  await limit(store, 'city', '3601', vcpu(room + slack + 300));
  await limit(store, 'province', '36', vcpu(room + slack + 600));
  // Parents' other usage: the sibling 100 (department), the cousin 200 more (city), far away 300 more (province).
  const quotas = new QuotaServiceImpl();
  for (const [s, n] of [[sibling, 100], [cousin, 200], [far, 300]] as const) {
    const r = await store.transaction((tx) => quotas.reserve(tx, { systemId: s, items: [{ cloudId: CLOUD, resourceClass: 'vcpu', amount: n }], idempotencyKey: `fill-${s}`, ttlSeconds: 86_400, ref: 'fill', actor: 'seed' }));
    await store.transaction((tx) => quotas.commit(tx, { reservationId: r.id, actor: 'seed' }));
  }
  return { hot, departmentId };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** A tRPC mutation over HTTP (plain JSON, as any client would send it): the HTTP status and the parsed body. */
export function trpcMutation(baseUrl: string, path: string, token: string, input: unknown): Promise<{ status: number; body: { result?: { data: unknown }; error?: { message: string; data?: { code?: string } } } }> {
  const body = JSON.stringify(input);
  const url = new URL(`/trpc/${path}`, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Rows over their cap at any level, and counters that disagree with the ledger: both must be empty. */
export { quotaViolations } from '../../control-plane/src/quotas/quota-fixtures.ts';
