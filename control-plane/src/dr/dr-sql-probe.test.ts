import { TEST_PG_ADMIN_URL } from '../testing/test-store.ts';
import { auditTrail, errorOf } from '../testing/harness.ts';
import { drWorld, protectionInput, type DrWorld } from '../testing/dr-fixtures.ts';
import { runProbeCheck } from './probes.ts';

/** SQL probes against the real PostgreSQL server of the PostgreSQL run of the specs (issue 11.3). */
if (TEST_PG_ADMIN_URL) {
  const PASSWORD = 'ProbePw-Secret9';
  /** The test server's URL with a password in it (trust authentication ignores it; CI's password auth uses its own). */
  const dsn = (() => {
    const u = new URL(TEST_PG_ADMIN_URL);
    if (!u.password) u.password = PASSWORD;
    return u.toString();
  })();
  const secret = new URL(dsn).password;

  describe('DR SQL probes (real PostgreSQL)', () => {
    let w: DrWorld;
    let sys: string;
    let groupId: string;
    const probePlan = (connection: string) => ({
      name: '数据库探测预案', groups: [{ number: 1, name: '验证' }],
      steps: [{ id: 'db-answers', title: '数据库可查询', group: 1, kind: 'probe', systemId: sys, passScore: 1, timeoutSeconds: 10, estimateSeconds: 5,
        checks: [{ id: 'sql', type: 'sql', connection, query: `SELECT 'ok'`, expect: 'ok', weight: 1 }] }],
    });

    beforeEach(async () => {
      w = await drWorld();
      sys = await w.system('社保核心', 5);
      groupId = (await w.as.operator.dr.protection.create(protectionInput([sys]))).id;
    }, 120_000);
    afterEach(async () => w.stop());

    it('runs the query read-only and compares its first value; a write is refused by the read-only transaction', async () => {
      const open = async (id: string) => (id === 'hr-db' ? dsn : null);
      const signal = AbortSignal.timeout(20_000);
      const check = (query: string, expect: string, connection = 'hr-db') => runProbeCheck({ id: 'c', weight: 1, type: 'sql', connection, query, expect }, signal, open);
      expect(await check(`SELECT 'ok'`, 'ok')).toEqual(jasmine.objectContaining({ passed: true, detail: 'hr-db: "ok"' }));
      expect(await check('SELECT 41 + 1', '41')).toEqual(jasmine.objectContaining({ passed: false, detail: 'hr-db: "42", expected "41"' }));
      const write = await check('CREATE TABLE probe_must_not_exist (x int)', '');
      expect([write.passed, write.detail]).toEqual([false, jasmine.stringMatching(/read-only transaction/)]);
      expect((await check(`SELECT 'ok'`, 'ok', 'nope')).detail).toBe('probe connection nope is not registered');
      for (const r of [write]) expect(r.detail).not.toContain(secret);
    });

    it('registers a connection with its DSN sealed and never shown, and refuses a plan naming an unregistered one; a used connection cannot be deleted', async () => {
      const created = await w.as.operator.dr.probeConnections.create({ id: 'hr-db', name: '人社核心库', dsn });
      expect(created.target).toMatch(/^127\.0\.0\.1:5432\//);
      expect((await w.as.auditor.dr.probeConnections.list()).items.map((c) => c.id)).toEqual(['hr-db']);
      expect((await errorOf(() => w.as.user.dr.probeConnections.list())).code).toBe('FORBIDDEN');
      const bad = await errorOf(() => w.as.operator.dr.plans.save({ groupId, draft: probePlan('hr-db-typo') as never }));
      expect([bad.code, bad.message]).toEqual(['BAD_REQUEST', jasmine.stringMatching(/unregistered connections: hr-db-typo/)]);
      await w.as.operator.dr.plans.save({ groupId, draft: probePlan('hr-db') as never });
      expect((await errorOf(() => w.as.operator.dr.probeConnections.delete({ id: 'hr-db' }))).message).toContain('数据库探测预案');
      const [row] = await w.deps.store.query<{ sealed: string }>(`SELECT sealed_dsn AS sealed FROM dr_probe_connections WHERE id = 'hr-db'`);
      expect(row!.sealed).toMatch(/^v1\./);
      expect(row!.sealed).not.toContain(secret);
      const seen = JSON.stringify([created, await w.as.auditor.dr.probeConnections.list(), await auditTrail(w.deps)]) + w.deps.logs.text;
      expect(seen).not.toContain(secret);
    });

    it('a drill whose plan probes the database passes on the query answering as expected', async () => {
      await w.as.operator.dr.probeConnections.create({ id: 'hr-db', name: '人社核心库', dsn });
      const { plan } = await w.as.operator.dr.plans.save({ groupId, draft: probePlan('hr-db') as never });
      await w.seedSites(sys);
      w.newRunner();
      const run = await w.as.operator.dr.runs.start({ groupId, kind: 'drill', planId: plan.id });
      expect((await w.settled(run.workflowId!)).status).toBe('succeeded');
      const { report } = await w.as.auditor.dr.runs.report({ id: run.id });
      expect(JSON.stringify(report)).toContain('hr-db: \\"ok\\"');
      expect(JSON.stringify(report)).not.toContain(secret);
    }, 120_000);
  });
}
