import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditTrail, errorOf } from '../testing/harness.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { centresRepo } from './centres-repo.ts';
import { drWorldWithTwoSystems, PROD, protectionInput, SAME_CITY, type DrWorld } from '../testing/dr-fixtures.ts';

/** A business endpoint the plan's probe checks (the drill's "application answers" evidence). */
async function businessEndpoint(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('社保 ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`, server };
}

const plan = (sysA: string, sysB: string, url: string, opts: { manual?: boolean } = {}) => ({
  name: '社保切换预案',
  groups: [{ number: 1, name: '数据库' }, { number: 2, name: '应用' }, { number: 3, name: '验证' }],
  steps: [
    ...(opts.manual ? [{ id: 'go', title: '指挥长确认', group: 1, kind: 'manual', prompt: { zh: '确认开始', en: 'confirm start' }, estimateSeconds: 60 }] : []),
    { id: 'db-a', title: 'promote A', group: 1, dependsOn: opts.manual ? ['go'] : [], kind: 'action', operation: 'promoteReplica', at: 'target', systemId: sysA, estimateSeconds: 120 },
    { id: 'db-b', title: 'promote B', group: 1, dependsOn: opts.manual ? ['go'] : [], kind: 'action', operation: 'promoteReplica', at: 'target', systemId: sysB, estimateSeconds: 60 },
    { id: 'stop-a', title: 'stop A at production', group: 1, dependsOn: ['db-a'], kind: 'action', operation: 'stopSource', at: 'source', systemId: sysA, estimateSeconds: 10 },
    { id: 'app-a', title: 'start A', group: 2, dependsOn: ['db-a'], kind: 'action', operation: 'scaleStandby', at: 'target', systemId: sysA, replicas: 2, estimateSeconds: 300 },
    { id: 'app-b', title: 'start B', group: 2, dependsOn: ['db-b'], kind: 'action', operation: 'scaleStandby', at: 'target', systemId: sysB, replicas: 2, estimateSeconds: 30 },
    { id: 'traffic-a', title: 'switch A', group: 2, dependsOn: ['app-a', 'stop-a'], kind: 'action', operation: 'switchTraffic', at: 'target', systemId: sysA, estimateSeconds: 20 },
    { id: 'traffic-b', title: 'switch B', group: 2, dependsOn: ['app-b'], kind: 'action', operation: 'switchTraffic', at: 'target', systemId: sysB, estimateSeconds: 20 },
    { id: 'probe-a', title: 'A answers', group: 3, dependsOn: ['traffic-a'], kind: 'probe', systemId: sysA, checks: [{ id: 'web', type: 'http', url, expectStatus: 200, bodyIncludes: 'ok', weight: 1 }], passScore: 1, timeoutSeconds: 5, estimateSeconds: 10 },
    { id: 'probe-b', title: 'B answers', group: 3, dependsOn: ['traffic-b'], kind: 'probe', systemId: sysB, checks: [{ id: 'web', type: 'http', url, expectStatus: 200, weight: 1 }], passScore: 1, timeoutSeconds: 5, estimateSeconds: 10 },
  ],
});

describe('DR operations as durable workflows (in-process simulated clouds)', () => {
  let w: DrWorld;
  let sysA: string;
  let sysB: string;
  let endpoint: { url: string; server: Server };
  let groupId: string;

  async function protect(opts: { manual?: boolean } = {}) {
    const g = await w.as.operator.dr.protection.create(protectionInput([sysA, sysB]));
    const p = await w.as.operator.dr.plans.save({ groupId: g.id, draft: plan(sysA, sysB, endpoint.url, opts) as never });
    groupId = g.id;
    return { group: g, planId: p.plan.id };
  }

  /** Every DR call the clouds saw after `from` (their own log, not the engine's records). */
  const callsSince = (from: number[]) => ['jx-province', 'jx-dr-ganzhou'].flatMap((id, i) => w.deps.federation.simulated(id)!.cloud.drCallLog.slice(from[i]));
  const logMarks = () => ['jx-province', 'jx-dr-ganzhou'].map((id) => w.deps.federation.simulated(id)!.cloud.drCallLog.length);
  const sandboxesLeft = async () => (await w.deps.federation.provider('jx-province').dr!.state()).sandboxes.length + (await w.deps.federation.provider('jx-dr-ganzhou').dr!.state()).sandboxes.length;

  beforeEach(async () => {
    ({ w, sysA, sysB } = await drWorldWithTwoSystems());
    await w.seedSites(sysA);
    await w.seedSites(sysB);
    endpoint = await businessEndpoint();
  }, 120_000);
  afterEach(async () => {
    await w.stop();
    endpoint.server.close();
  });

  it('drills into a sandbox without touching production, cleans up to zero, and reports RTO by phase and RPO per system', async () => {
    const { planId } = await protect();
    w.newRunner();
    const marks = logMarks();
    const run = await w.as.operator.dr.runs.start({ groupId, kind: 'drill', planId, scenario: '主中心机房断电演练' });
    expect([run.status, run.sourceCentre, run.targetCentre]).toEqual(['running', PROD, SAME_CITY]);
    const wf = await w.settled(run.workflowId!);
    expect(wf.status).toBe('succeeded');
    // The names the console titles the workflow with, in either language (the stored title stays English).
    const centres = await centresRepo.byIds(w.deps.store, [PROD, SAME_CITY]);
    const group = await w.as.operator.dr.protection.get({ id: groupId });
    expect((wf.input as { names: unknown }).names).toEqual({
      group: group.name, source: { zh: centres.get(PROD)!.name, en: centres.get(PROD)!.nameEn }, target: { zh: centres.get(SAME_CITY)!.name, en: centres.get(SAME_CITY)!.nameEn },
    });
    // The clouds' own call log: every DR call of the drill acted inside a sandbox; stopSource was not sent at all.
    const calls = callsSince(marks);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.production)).toEqual([]);
    expect(calls.some((c) => c.op === 'stopSource')).toBeFalse();
    expect(await sandboxesLeft()).toBe(0);
    const got = await w.as.user.dr.runs.get({ id: run.id });
    expect([got.status, got.ledger.length, got.ledger.every((l) => l.removedAt !== null)]).toEqual(['succeeded', 2, true]);
    const { report, verified, digest, final } = await w.as.auditor.dr.runs.report({ id: run.id });
    // The report names every step as the run page does (one naming: run-view.ts), the key kept beside it.
    expect(report.steps.map((s) => s.key).sort()).toEqual(got.steps.map((s) => s.key).sort());
    for (const s of report.steps) expect(s.name).withContext(s.key).toEqual(got.steps.find((g) => g.key === s.key)!.name ?? undefined);
    expect(report.steps.find((s) => s.key === 'declare')!.name).toEqual({ zh: '宣告灾备操作', en: 'Declare the DR operation' });
    const sandbox = report.steps.find((s) => s.key.startsWith('sandbox:'))!;
    expect(sandbox.name!.zh).toMatch(new RegExp(`^创建演练沙箱：社保(核心|查询)（${centres.get(SAME_CITY)!.name}）$`));
    expect(sandbox.name!.en).toContain(centres.get(SAME_CITY)!.nameEn);
    expect([final, verified, report.passed]).toEqual([true, true, true]);
    expect(report.cleanup).toEqual({ recorded: 2, removed: 2, leaked: [] });
    for (const r of report.results) {
      expect(r.rto.met).toBeTrue();
      expect(Object.keys(r.rto.phaseSeconds).sort()).toEqual(['declare', 'execute', 'validate']);
      expect(r.rpo.seconds).toBe(0); // the same-city link is synchronous
      expect(r.businessVerified).toBeTrue();
    }
    expect(Object.keys(report.elements).sort()).toEqual(['2025']);
    expect(report.elements['2025']!.map((e) => e.status).every((s) => s === 'demonstrated' || s === 'not-assessed')).toBeTrue();
    expect(report.steps.find((s) => s.key === 'step:stop-a')!.evidence).toContain('not run in a drill');
    // The report's SM3 digest is in the audit chain, which verifies.
    const recorded = (await auditTrail(w.deps)).find((r) => r.procedure === 'dr.report')!;
    expect((recorded.after as { digest: string }).digest).toBe(digest);
    expect((await w.deps.audit.verify(w.deps.store)).ok).toBeTrue();
    const html = (await w.as.auditor.dr.runs.report({ id: run.id, format: 'html' })).html!;
    expect(html).toContain('社保核心');
    expect(html).toContain(digest);
    expect(html).toContain(`<td class="step">${sandbox.name!.zh} / ${sandbox.name!.en}<br><code>${sandbox.key}</code></td>`);
    expect(html).toContain('宣告灾备操作 / Declare the DR operation');
    // The PDF (set in the machine's CJK font, embedded as a subset) names the digest in its metadata.
    const pdf = Buffer.from((await w.as.auditor.dr.runs.report({ id: run.id, format: 'pdf' })).pdfBase64!, 'base64');
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBeTrue();
    expect(raw).toContain(`SM3 ${digest}`);
    expect(raw).toMatch(/\/FontFile[23]?/); // the font travels with the file: it reads the same on any machine
    expect(Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(raw)?.[1])).toBeGreaterThan(1);
    // Without a CJK font the server says so (405), it does not produce a PDF of empty boxes.
    process.env['GANYUN_REPORT_FONT'] = '/nonexistent/font.ttc';
    try {
      const refused = await errorOf(() => w.as.auditor.dr.runs.report({ id: run.id, format: 'pdf' }));
      expect([refused.code, refused.message]).toEqual(['METHOD_NOT_SUPPORTED', jasmine.stringContaining('/nonexistent/font.ttc')]);
    } finally {
      delete process.env['GANYUN_REPORT_FONT'];
    }
    // Readiness now counts the passed drill.
    const r = (await w.as.user.dr.protection.readiness()).items.find((x) => x.systemId === sysA)!;
    expect([r.state, r.daysSinceDrill]).toEqual(['ready', 0]);
    // Another department sees none of it.
    expect((await errorOf(() => w.as.otherUser.dr.runs.report({ id: run.id }))).code).toBe('FORBIDDEN');
  }, 120_000);

  it('allows one operation per protection group: a second is refused naming the first', async () => {
    const { planId } = await protect();
    const first = await w.as.operator.dr.runs.start({ groupId, kind: 'failover', planId });
    expect(first.status).toBe('awaiting-approval');
    const error = await errorOf(() => w.as.operator2.dr.runs.start({ groupId, kind: 'drill', planId }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`failover running (${first.id}, started by ops)`);
    expect((await w.deps.store.query('SELECT 1 FROM dr_runs')).length).toBe(1);
  }, 120_000);

  it('starts one operation when two operators start one at the same moment (on PostgreSQL: two connections racing)', async () => {
    const { planId } = await protect();
    const outcomes = await Promise.allSettled([
      w.as.operator.dr.runs.start({ groupId, kind: 'failover', planId }),
      w.as.operator2.dr.runs.start({ groupId, kind: 'switchover', planId }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBe(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String((refused.reason as Error).message)).toMatch(/already has a (failover|switchover) running/);
    expect((await w.deps.store.query('SELECT 1 FROM dr_runs')).length).toBe(1);
  }, 120_000);

  it('refuses a failover to the production centre and a second approval by the same person (双人复核), starting nothing', async () => {
    const { planId } = await protect();
    const bad = await errorOf(() => w.as.operator.dr.runs.start({ groupId, kind: 'failover', planId, target: PROD }));
    expect([bad.code, bad.message]).toEqual(['BAD_REQUEST', `the target ${PROD} is the production centre: fail over to a DR centre`]);
    const run = await w.as.operator.dr.runs.start({ groupId, kind: 'failover', planId });
    const same = await errorOf(() => w.as.operator.dr.runs.approve({ id: run.id }));
    expect(same.code).toBe('CONFLICT');
    expect(same.message).toContain('must be a different person');
    expect((await w.as.operator.dr.runs.get({ id: run.id })).workflowId).toBeNull();
    expect((await w.deps.store.query('SELECT 1 FROM workflows')).length).toBe(0);
  }, 120_000);

  it('fails over for real after a second approval with manual steps confirmed by two people, then fails back', async () => {
    const { planId } = await protect({ manual: true });
    w.newRunner();
    const run = await w.as.operator.dr.runs.start({ groupId, kind: 'failover', planId, lostCentres: [PROD] });
    const approved = await w.as.operator2.dr.runs.approve({ id: run.id });
    expect([approved.status, approved.approver]).toEqual(['running', 'ops2']);
    // The manual step waits for two different people.
    await w.as.operator.dr.runs.confirm({ id: run.id, stepKey: 'step:go' });
    const twice = await errorOf(() => w.as.operator.dr.runs.confirm({ id: run.id, stepKey: 'step:go' }));
    expect(twice.message).toContain('双人复核');
    expect((await w.as.operator2.dr.runs.confirm({ id: run.id, stepKey: 'step:go' })).complete).toBeTrue();
    expect((await w.settled(approved.workflowId!)).status).toBe('succeeded');
    const state = await w.deps.federation.provider('jx-province').dr!.state();
    expect(state.sites.find((s) => s.system === sysA && s.zone === 'jxp-dr')).toEqual(jasmine.objectContaining({ role: 'promoted', serving: true }));
    expect(state.sites.find((s) => s.system === sysA && s.zone === 'jxp-main')!.role).toBe('stopped');
    expect((await w.as.user.dr.protection.get({ id: groupId })).activeCentre).toBe(SAME_CITY);
    const { report } = await w.as.auditor.dr.runs.report({ id: run.id });
    expect(report.results.every((r) => r.rto.phaseSeconds.detect !== undefined)).toBeTrue();
    expect(report.approvals.map((a) => a.username)).toEqual(['ops2', 'ops', 'ops2']);
    // A second failover is refused while the group runs at the DR centre; failback is the way home.
    expect((await errorOf(() => w.as.operator.dr.runs.start({ groupId, kind: 'drill', planId }))).message).toContain('fail back first');
    const back = await w.as.operator.dr.runs.start({ groupId, kind: 'failback', planId });
    expect([back.sourceCentre, back.targetCentre]).toEqual([SAME_CITY, PROD]);
  }, 120_000);

  it('losing the DR centre mid-drill stops the run at a clear state; the sweeper removes what it created once the centre is back', async () => {
    const { planId } = await protect({ manual: true });
    w.newRunner();
    const run = await w.as.operator.dr.runs.start({ groupId, kind: 'drill', planId });
    // Wait until the sandboxes exist (the drill waits at its manual step), then lose the centre.
    for (let i = 0; i < 500 && (await w.deps.federation.provider('jx-province').dr!.state()).sandboxes.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    w.deps.federation.simulated('jx-province')!.mutate({ op: 'zone-status', zone: 'jxp-dr', status: 'down' });
    await w.as.operator.dr.runs.confirm({ id: run.id, stepKey: 'step:go' });
    const wf = await w.settled(run.workflowId!);
    // The sandboxes' removal cannot complete while their centre is down: the run ends needing attention, naming them.
    expect(wf.status).toBe('needs-attention');
    expect(wf.error).toContain('jx-province:dr-');
    const closed = await w.as.operator.dr.runs.report({ id: run.id });
    expect([closed.report.status, closed.report.passed]).toEqual(['needs-attention', false]);
    expect(closed.report.cleanup!.leaked.length).toBeGreaterThan(0);
    w.deps.federation.simulated('jx-province')!.mutate({ op: 'zone-status', zone: 'jxp-dr', status: 'ok' });
    // The sweeper runs on an interval; the cloud's breaker half-opens after the centre is back.
    const { sweep } = await import('./run-closer.ts');
    const removed: string[] = [];
    const open = async () => (await w.as.operator.dr.runs.get({ id: run.id })).ledger.filter((l) => l.removedAt === null).length;
    for (let i = 0; i < 50 && (await open()) > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      removed.push(...(await sweep({ store: w.deps.store, federation: w.deps.federation, audit: w.deps.audit, log: w.deps.log })).removed);
    }
    expect(removed.length).toBeGreaterThan(0);
    expect(await open()).toBe(0);
    let left = -1;
    for (let i = 0; i < 50 && left !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await sandboxesLeft().catch(() => -1);
    }
    expect(left).toBe(0);
    expect((await auditTrail(w.deps)).some((r) => r.procedure === 'dr.sweep')).toBeTrue();
  }, 120_000);

  for (const seed of [1, 2, 3]) {
    it(`survives a runner killed mid-drill with lost provider answers (seed ${seed}): each action once per key, zero leaks, chain verifies`, async () => {
      const { planId } = await protect();
      for (const id of ['jx-province', 'jx-dr-ganzhou']) await w.deps.federation.setFaults(id, { lostResponseRate: 0.3 });
      const marks = logMarks();
      const first = w.newRunner('doomed');
      const run = await w.as.operator.dr.runs.start({ groupId, kind: 'drill', planId });
      // Let a seed-dependent number of steps finish, then take the runner away mid-flight.
      const stopAfter = 2 + seed * 2;
      for (let i = 0; i < 1000; i++) {
        const done = (await workflowsRepo.steps(w.deps.store, run.workflowId!)).filter((s) => s.status === 'succeeded').length;
        if (done >= stopAfter) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await first.stop(0);
      w.newRunner('survivor');
      const wf = await w.settled(run.workflowId!);
      expect(['succeeded', 'failed', 'needs-attention']).toContain(wf.status);
      const calls = callsSince(marks);
      expect(calls.filter((c) => c.production)).toEqual([]);
      const effects = new Map<string, number>();
      for (const c of calls) if (c.outcome === 'done') effects.set(c.idempotencyKey, (effects.get(c.idempotencyKey) ?? 0) + 1);
      expect([...effects.values()].filter((n) => n > 1)).toEqual([]);
      for (const id of ['jx-province', 'jx-dr-ganzhou']) await w.deps.federation.setFaults(id, {});
      await import('./run-closer.ts').then((m) => m.sweep({ store: w.deps.store, federation: w.deps.federation, audit: w.deps.audit, log: w.deps.log }));
      expect(await sandboxesLeft()).toBe(0);
      expect((await w.deps.audit.verify(w.deps.store)).ok).toBeTrue();
    }, 120_000);
  }
});
