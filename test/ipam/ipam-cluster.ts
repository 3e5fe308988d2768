import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '@ganyun/providers';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../control-plane/src/auth/password.ts';
import { issueToken } from '../../control-plane/src/auth/sessions.ts';
import { newId } from '../../control-plane/src/ids.ts';
import { createPrefix } from '../../control-plane/src/ipam/prefixes.ts';
import { createVrf } from '../../control-plane/src/ipam/vrfs.ts';
import { openPostgresStore } from '../../control-plane/src/store/postgres-store.ts';
import type { Store } from '../../control-plane/src/store/store.ts';
import { usersRepo } from '../../control-plane/src/store/users-repo.ts';
import { createScratchDatabase } from '../../control-plane/src/testing/test-store.ts';
import { startProduct, type RunningProduct } from '../support/product.ts';

/**
 * Control-plane processes on one scratch PostgreSQL database, for the two-process IPAM spec and
 * `npm run bench -- ipam`: a network engineer with one session token per client, and helpers to seed VRFs and
 * parents and to count overlaps and duplicates in the database afterwards.
 */
export interface IpamCluster {
  products: RunningProduct[];
  store: Store;
  dbUrl: string;
  tokens: string[];
  stop(): Promise<void>;
}

export async function startIpamCluster(opts: { pgAdminUrl: string; processes: number; clients: number }): Promise<IpamCluster> {
  const db = await createScratchDatabase(opts.pgAdminUrl);
  // One simulated cloud with nothing in it: the federation must be configured, but must not compete for CPU.
  const config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
  const entry = config.clouds[0]!;
  const dir = await mkdtemp(join(tmpdir(), 'ganyun-ipam-'));
  const federationFile = join(dir, 'federation.json');
  await writeFile(federationFile, JSON.stringify({ version: 1, clouds: [{ ...entry, sim: { ...entry.sim!, initialResources: 0, replication: [] } }] }));
  const env = {
    DATABASE_URL: db.url, GANYUN_SECRET_KEY: randomBytes(32).toString('hex'), GANYUN_FEDERATION_CONFIG: federationFile,
    GANYUN_ADMIN_PASSWORD: 'Ipam-Cluster-Admin-1', GANYUN_SYNC_INTERVAL_SECONDS: '3600', GANYUN_HEALTH_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'warn',
    // No demo extranet: its 25,000 units and their prefixes would only slow the start and share the tables.
    GANYUN_EXTRANET_DEMO_VILLAGES: '0',
  };
  const products: RunningProduct[] = [];
  let store: Store | undefined;
  try {
    products.push(await startProduct(env)); // the first one migrates
    products.push(...(await Promise.all(Array.from({ length: opts.processes - 1 }, () => startProduct(env)))));
    store = await openPostgresStore(db.url, 8);
    const user = newId();
    await usersRepo.insert(store, { id: user, username: 'ipam-engineer', displayName: 'IPAM engineer', departmentId: null, roles: ['network-engineer'], passwordHash: await hashPassword('Ipam-Engineer-1'), mustChangePassword: false });
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

/** A VRF and `count` IPv6 container parents in it (the first a /32, the others /48s). */
export async function seedParents(store: Store, name: string, count: number): Promise<{ vrfId: string; parents: string[] }> {
  const vrf = await createVrf(store, { name, rd: null, importTargets: [], exportTargets: [], planeId: null, departmentId: null, kind: 'extranet', migrationState: null, description: '' });
  const parents: string[] = [];
  for (let i = 0; i < count; i++) {
    const cidr = i === 0 ? '2001:db8::/32' : `2001:db9:${i.toString(16)}::/48`;
    parents.push((await store.transaction((tx) => createPrefix(tx, { vrfId: vrf.id, cidr, kind: 'container', status: 'active' }))).id);
  }
  return { vrfId: vrf.id, parents };
}

/** What the database holds afterwards: overlapping sibling pairs and repeated CIDRs inside one VRF (both must be 0). */
export async function overlapsAndDuplicates(store: Store): Promise<{ overlaps: number; duplicates: number; rows: number }> {
  const [r] = await store.query<{ overlaps: number; duplicates: number; rows: number }>(
    `SELECT (SELECT count(*)::int FROM ipam_prefixes a JOIN ipam_prefixes b ON a.vrf_id = b.vrf_id AND a.depth = b.depth AND a.id < b.id AND a.cidr && b.cidr) AS overlaps,
            (SELECT count(*)::int - count(DISTINCT (vrf_id, cidr))::int FROM ipam_prefixes) AS duplicates,
            (SELECT count(*)::int FROM ipam_prefixes) AS rows`,
  );
  return r!;
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

/** A tRPC mutation over HTTP, plain JSON as any client sends it: status and parsed body. */
export function trpcCall(baseUrl: string, path: string, token: string, input: unknown): Promise<{ status: number; body: { result?: { data: Record<string, unknown> }; error?: { message: string } } }> {
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
