import { auditTrail, errorOf } from '../testing/harness.ts';
import { centresRepo } from './centres-repo.ts';
import { drWorld, PROD, protectionInput, REMOTE, SAME_CITY, type DrWorld } from '../testing/dr-fixtures.ts';

/** A failover plan without probes: promote at the DR centre, stop production, switch traffic. */
const plan = (systems: string[]) => ({
  name: '切换预案',
  groups: [{ number: 1, name: '切换' }],
  steps: systems.flatMap((s, i) => [
    { id: `promote-${i}`, title: 'promote', group: 1, kind: 'action', operation: 'promoteReplica', at: 'target', systemId: s, estimateSeconds: 60 },
    { id: `stop-${i}`, title: 'stop production', group: 1, dependsOn: [`promote-${i}`], kind: 'action', operation: 'stopSource', at: 'source', systemId: s, estimateSeconds: 10 },
    { id: `traffic-${i}`, title: 'switch traffic', group: 1, dependsOn: [`stop-${i}`], kind: 'action', operation: 'switchTraffic', at: 'target', systemId: s, estimateSeconds: 10 },
  ]),
});

describe('DR re-protection (in-process simulated clouds)', () => {
  let w: DrWorld;
  let systems: string[];
  let groupId: string;
  let planId: string;
  const site = async (cloudId: string, system: string, zone: string) => (await w.deps.federation.provider(cloudId).dr!.state()).sites.find((s) => s.system === system && s.zone === zone);

  beforeEach(async () => {
    w = await drWorld();
    systems = [await w.system('社保核心', 5), await w.system('社保查询', 4)];
    for (const s of systems) await w.seedSites(s);
    groupId = (await w.as.operator.dr.protection.create(protectionInput(systems))).id;
    planId = (await w.as.operator.dr.plans.save({ groupId, draft: plan(systems) as never })).plan.id;
    w.newRunner();
    // Production is lost: fail over to the same-city centre (two people).
    const failover = await w.as.operator.dr.runs.start({ groupId, kind: 'failover', planId, lostCentres: [PROD] });
    const approved = await w.as.operator2.dr.runs.approve({ id: failover.id });
    expect((await w.settled(approved.workflowId!)).status).toBe('succeeded');
    expect((await w.as.operator.dr.protection.get({ id: groupId })).activeCentre).toBe(SAME_CITY);
  }, 120_000);
  afterEach(async () => w.stop());

  it('replicates back into production once it returns (reverse replication, after a second approval), so a failback becomes possible', async () => {
    const run = await w.as.operator.dr.runs.start({ groupId, kind: 'reprotect' });
    expect([run.kind, run.sourceCentre, run.targetCentre, run.status, run.planId]).toEqual(['reprotect', SAME_CITY, PROD, 'awaiting-approval', null]);
    expect((await errorOf(() => w.as.operator.dr.runs.approve({ id: run.id }))).code).toBe('CONFLICT'); // 双人复核
    const approved = await w.as.operator2.dr.runs.approve({ id: run.id });
    const wf = await w.settled(approved.workflowId!);
    expect(wf.status).toBe('succeeded');
    // The names the console titles the workflow with (the stored title stays English and names centres by id).
    const centres = await centresRepo.byIds(w.deps.store, [SAME_CITY, PROD]);
    expect((wf.input as { names: unknown }).names).toEqual({
      group: (await w.as.operator.dr.protection.get({ id: groupId })).name,
      source: { zh: centres.get(SAME_CITY)!.name, en: centres.get(SAME_CITY)!.nameEn }, target: { zh: centres.get(PROD)!.name, en: centres.get(PROD)!.nameEn },
    });
    // The run page's names (issue 18.2): both centres by name, and each per-system step's system (a re-protection has no plan to title its steps).
    const got = await w.as.user.dr.runs.get({ id: run.id });
    expect([got.source?.name, got.source?.nameEn, got.target?.name, got.target?.nameEn]).toEqual([centres.get(SAME_CITY)!.name, centres.get(SAME_CITY)!.nameEn, centres.get(PROD)!.name, centres.get(PROD)!.nameEn]);
    const systemOf = (key: string) => got.steps.find((s) => s.key === key)!;
    for (const i of [0, 1]) {
      expect(systems).toContain(systemOf(`step:reprotect-${i}`).systemId!);
      expect(systemOf(`verify:${i}`).systemId).toBe(systemOf(`step:reprotect-${i}`).systemId);
    }
    expect([systemOf('step:reprotect-0').systemName, systemOf('step:reprotect-1').systemName].sort()).toEqual(['社保核心', '社保查询'].sort());
    expect([systemOf('declare').systemId, systemOf('declare').systemName]).toEqual([null, null]);
    for (const s of systems) {
      expect((await site('jx-province', s, 'jxp-main'))!.role).toBe('replica');
      expect((await site('jx-province', s, 'jxp-dr'))).toEqual(jasmine.objectContaining({ role: 'promoted', serving: true }));
    }
    // The group still serves from the same-city centre; the report records the operation without a plan.
    expect((await w.as.user.dr.protection.get({ id: groupId })).activeCentre).toBe(SAME_CITY);
    const { report, final } = await w.as.auditor.dr.runs.report({ id: run.id });
    expect([final, report.status]).toEqual([true, 'succeeded']);
    expect((await auditTrail(w.deps)).filter((r) => r.procedure.startsWith('dr.runs.')).map((r) => `${r.procedure}:${r.outcome}`)).toContain('dr.runs.approve:ok');
    expect((await w.deps.audit.verify(w.deps.store)).ok).toBeTrue();
  }, 120_000);

  it('with production still lost, re-seeds the remote centre from the same-city one', async () => {
    const run = await w.as.operator.dr.runs.start({ groupId, kind: 'reprotect', lostCentres: [PROD] });
    expect([run.sourceCentre, run.targetCentre]).toEqual([SAME_CITY, REMOTE]);
    const approved = await w.as.operator2.dr.runs.approve({ id: run.id });
    expect((await w.settled(approved.workflowId!)).status).toBe('succeeded');
    for (const s of systems) expect((await site('jx-dr-ganzhou', s, 'gzdr-main'))!.role).toBe('replica');
    // Production was not touched: it is still stopped, not a replica.
    for (const s of systems) expect((await site('jx-province', s, 'jxp-main'))!.role).toBe('stopped');
  }, 120_000);

  it('refuses a plan, the serving centre as target, a target named lost, or nothing left to protect into: nothing started', async () => {
    const before = (await w.deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM dr_runs'))[0]!.n;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a plan', { planId }, /takes no plan/],
      ['the serving centre', { target: SAME_CITY }, /re-protect into another centre/],
      ['a lost target', { target: REMOTE, lostCentres: [REMOTE] }, /named as lost/],
      ['nothing left', { lostCentres: [PROD, REMOTE] }, /no centre of the group is left/],
      ['the serving centre lost', { lostCentres: [SAME_CITY] }, /fail over first/],
    ];
    for (const [why, input, message] of cases) {
      const e = await errorOf(() => w.as.operator.dr.runs.start({ groupId, kind: 'reprotect', ...input } as never));
      expect(`${why}: ${e.code}`).toBe(`${why}: BAD_REQUEST`);
      expect(e.message).withContext(why).toMatch(message);
    }
    expect((await w.deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM dr_runs'))[0]!.n).toBe(before);
  }, 120_000);
});
