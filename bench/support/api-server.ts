/**
 * The control plane as `npm start` runs it (default federation, background health checks and syncs on, the
 * demo extranet and quotas), plus what the API bench reads: an admin token, and a department user whose
 * department holds `GANYUN_BENCH_REQUESTS` resource requests (100,000 by default). Started by bench/api.ts as a
 * child process so the load generator does not share its event loop; prints one `BENCH-READY {json}` line.
 *
 * Profiling: the parent sends `{ profile: 'start' }` / `{ profile: 'stop', file }` over IPC; the V8 CPU
 * profiler (the one `node --cpu-prof` drives) records only the window under load, not the start-up and
 * seeding, and writes a `.cpuprofile` file.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { startApp } from '../../control-plane/src/app.ts';
import { hashPassword } from '../../control-plane/src/auth/password.ts';
import { issueToken } from '../../control-plane/src/auth/sessions.ts';
import { readConfig } from '../../control-plane/src/config.ts';
import { newId } from '../../control-plane/src/ids.ts';
import { createLogger } from '../../control-plane/src/logger.ts';
import { usersRepo } from '../../control-plane/src/auth/users-repo.ts';

const config = readConfig();
const app = await startApp(config, createLogger(config.LOG_LEVEL));
const { store } = app.deps;
const requests = Number(process.env['GANYUN_BENCH_REQUESTS'] ?? 100_000);

const [admin] = await store.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`);
// The department with the most business systems in the demo data is the bench user's.
const [dept] = await store.query<{ departmentId: string; systemId: string }>(
  `SELECT department_id AS "departmentId", min(id::text) AS "systemId" FROM business_systems GROUP BY department_id ORDER BY count(*) DESC, department_id LIMIT 1`,
);
const [cloud] = await store.query<{ id: string }>(`SELECT id FROM clouds ORDER BY id LIMIT 1`);
if (!admin || !dept || !cloud) throw new Error('the demo data has no admin, department with systems, or cloud: is GANYUN_EXTRANET_DEMO_VILLAGES 0?');
const userId = newId();
await usersRepo.insert(store, {
  id: userId, username: 'bench-dept-user', displayName: 'Bench department user', departmentId: dept.departmentId, roles: ['department-user'],
  passwordHash: await hashPassword('Bench-Dept-User-1'), mustChangePassword: false,
});
// The requests as the API would have stored them (submitted, waiting for approval), written in one statement.
await store.query(
  `INSERT INTO resource_requests (id, department_id, system_id, requester_id, title, reason, placement_mode, cloud_id, items, units, status, policy_results, submitted_at)
   SELECT gen_random_uuid(), $1, $2, $3, 'bench request ' || g, 'capacity for the bench', 'named', $4,
          '[{"resourceClass":"vcpu","amount":4},{"resourceClass":"memory-gib","amount":8}]'::jsonb, 6,
          (ARRAY['pending','approved','provisioned','rejected'])[1 + g % 4], '[]'::jsonb, now() - make_interval(secs => g)
   FROM generate_series(1, $5::int) g`,
  [dept.departmentId, dept.systemId, userId, cloud.id, requests],
);
await store.query('ANALYZE');
const ttlMinutes = 240;
const adminToken = (await issueToken(store, { userId: admin.id, kind: 'session', name: null, ttlMinutes })).token;
const deptToken = (await issueToken(store, { userId, kind: 'session', name: null, ttlMinutes })).token;

let session: Session | undefined;
process.on('message', (msg: { profile: 'start' | 'stop'; file?: string }) => {
  void (async () => {
    if (msg.profile === 'start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      process.send!({ profile: 'started' });
    } else if (session) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      await writeFile(msg.file!, JSON.stringify(profile));
      process.send!({ profile: 'stopped' });
    }
  })();
});

process.on('SIGTERM', () => void app.stop({ delayMs: 0, graceMs: 2000 }).then(() => process.exit(0), () => process.exit(1)));
process.stdout.write(`BENCH-READY ${JSON.stringify({ url: app.url, store: store.kind, adminToken, deptToken, cloudId: cloud.id, requests })}\n`);
