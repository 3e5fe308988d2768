import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '@ganyun/providers';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../control-plane/src/auth/roles.ts';
import { hashPassword } from '../../control-plane/src/auth/password.ts';
import { issueToken } from '../../control-plane/src/auth/sessions.ts';
import { newId } from '../../control-plane/src/ids.ts';
import { openPostgresStore } from '../../control-plane/src/store/postgres-store.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { usersRepo } from '../../control-plane/src/auth/users-repo.ts';
import { createScratchDatabase } from '../../control-plane/src/testing/test-store.ts';
import { startProduct, type RunningProduct } from './product.ts';

/**
 * Several control-plane processes on one scratch PostgreSQL database, for the multi-process specs and the
 * benches that measure through HTTP: one simulated cloud with nothing in it and no demo extranet (the
 * federation must be configured, but nothing else may compete for the CPU), and one user of the given role
 * with one session token per client.
 */
export interface Cluster {
  products: RunningProduct[];
  store: Store;
  dbUrl: string;
  /** One session token per client, as separate clients would hold. */
  tokens: string[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  pgAdminUrl: string;
  processes: number;
  clients: number;
  /** The user the clients act as. */
  user: { username: string; role: Role };
  /** The simulated cloud to register (default: the first of the default federation). */
  cloudId?: string;
  env?: Record<string, string>;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const db = await createScratchDatabase(opts.pgAdminUrl);
  const config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
  const entry = opts.cloudId ? config.clouds.find((c) => c.id === opts.cloudId) : config.clouds[0];
  if (!entry) throw new Error(`no cloud ${opts.cloudId} in the default federation`);
  const federationFile = join(await mkdtemp(join(tmpdir(), 'ganyun-cluster-')), 'federation.json');
  await writeFile(federationFile, JSON.stringify({ version: 1, clouds: [{ ...entry, sim: { ...entry.sim!, initialResources: 0, replication: [] } }] }));
  const env = {
    DATABASE_URL: db.url, GANYUN_SECRET_KEY: randomBytes(32).toString('hex'), GANYUN_FEDERATION_CONFIG: federationFile,
    GANYUN_ADMIN_PASSWORD: 'Cluster-Admin-Pass-1', GANYUN_SYNC_INTERVAL_SECONDS: '3600', GANYUN_HEALTH_INTERVAL_SECONDS: '3600',
    GANYUN_EXTRANET_DEMO_VILLAGES: '0', LOG_LEVEL: 'warn', ...opts.env,
  };
  const products: RunningProduct[] = [];
  let store: Store | undefined;
  try {
    products.push(await startProduct(env)); // the first one migrates and registers the cloud
    products.push(...(await Promise.all(Array.from({ length: opts.processes - 1 }, () => startProduct(env)))));
    store = await openPostgresStore(db.url, 8);
    const user = newId();
    await usersRepo.insert(store, {
      id: user, username: opts.user.username, displayName: opts.user.username, departmentId: null, roles: [opts.user.role],
      passwordHash: await hashPassword('Cluster-User-Pass-1'), mustChangePassword: false,
    });
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

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

export interface TrpcAnswer {
  status: number;
  body: { result?: { data: Record<string, unknown> }; error?: { message: string; data?: { code?: string; reason?: { code: string; params?: Record<string, unknown> } } } };
}

/** A tRPC mutation over HTTP, plain JSON as any client sends it: the HTTP status and the parsed body. */
export function trpcMutation(baseUrl: string, path: string, token: string, input: unknown): Promise<TrpcAnswer> {
  const body = JSON.stringify(input);
  const url = new URL(`/trpc/${path}`, baseUrl);
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` };
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers }, (res) => {
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
