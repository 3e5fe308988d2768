import { auditTrail, errorOf } from '../testing/harness.ts';
import { renewStandbyHolds } from './protection-service.ts';
import { ASYNC_LINK, drWorldWithTwoSystems, PROD, protectionInput, REMOTE, SAME_CITY, SYNC_LINK, type DrWorld } from '../testing/dr-fixtures.ts';

/** Everything a refused DR call must leave as it was. */
const drState = async (w: DrWorld) => (await w.deps.store.query<Record<string, unknown>>(
  `SELECT (SELECT count(*)::int FROM dr_protection_groups) AS groups, (SELECT count(*)::int FROM dr_protected_systems) AS systems,
          (SELECT count(*)::int FROM dr_standby) AS standby, (SELECT count(*)::int FROM quota_reservations) AS reservations,
          (SELECT count(*)::int FROM dr_plans) AS plans, (SELECT count(*)::int FROM dr_plan_versions) AS versions`))[0];

const planDraft = (sysA: string, sysB: string, over: Record<string, unknown> = {}) => ({
  name: '社保切换预案',
  groups: [{ number: 1, name: '数据库' }, { number: 2, name: '应用' }],
  steps: [
    { id: 'db-a', title: 'promote A', group: 1, kind: 'action', operation: 'promoteReplica', at: 'target', systemId: sysA, estimateSeconds: 120 },
    { id: 'db-b', title: 'promote B', group: 1, kind: 'action', operation: 'promoteReplica', at: 'target', systemId: sysB, estimateSeconds: 60 },
    { id: 'app-a', title: 'start A', group: 2, dependsOn: ['db-a'], kind: 'action', operation: 'scaleStandby', at: 'target', systemId: sysA, replicas: 2, estimateSeconds: 300 },
    { id: 'app-b', title: 'start B', group: 2, dependsOn: ['db-b'], kind: 'action', operation: 'scaleStandby', at: 'target', systemId: sysB, replicas: 2, estimateSeconds: 30 },
    { id: 'traffic', title: 'switch traffic', group: 2, dependsOn: ['app-a', 'app-b'], kind: 'action', operation: 'switchTraffic', at: 'target', systemId: sysA, estimateSeconds: 20 },
  ],
  ...over,
});

describe('DR store and API (in-process simulated clouds: province production + same-city, Ganzhou remote)', () => {
  let w: DrWorld;
  let sysA: string;
  let sysB: string;
  beforeEach(async () => {
    ({ w, sysA, sysB } = await drWorldWithTwoSystems());
  }, 120_000);
  afterEach(async () => w.stop());

  it('maps the federation’s zones to centres and the providers’ links to centre pairs, keeping the lag as history', async () => {
    const { centres, links } = await w.as.auditor.dr.centres();
    expect(centres.map((c) => `${c.id}:${c.role}`).sort()).toEqual([`${REMOTE}:remote-dr`, `${PROD}:production`, `${SAME_CITY}:same-city-dr`].sort());
    const byId = new Map(links.map((l) => [l.id, l]));
    expect([byId.get(SYNC_LINK)?.from, byId.get(SYNC_LINK)?.to, byId.get(SYNC_LINK)?.mode]).toEqual([PROD, SAME_CITY, 'sync']);
    expect([byId.get(ASYNC_LINK)?.from, byId.get(ASYNC_LINK)?.to, byId.get(ASYNC_LINK)?.mode]).toEqual([PROD, REMOTE, 'async']);
    // A later sync (the simulated clock has moved on) adds a reading, it does not replace the history.
    w.deps.federation.simulated('jx-province')!.cloud.clock.advance(60_000);
    expect(await w.deps.federation.sync('jx-province', 'incremental')).not.toBeInstanceOf(Error);
    expect(await w.deps.metrics.registry.getSingleMetricAsString('ganyun_dr_replication_lag_seconds')).toContain(`link="${ASYNC_LINK}",from="${PROD}",to="${REMOTE}",mode="async"`);
    const history = await w.as.user.dr.linkHistory({ linkId: ASYNC_LINK });
    expect(history.items.length).toBe(2);
    expect(history.items[0]!.measuredAt > history.items[1]!.measuredAt).toBeTrue();
  });

  it('protects systems with targets from their DR level and standby capacity held through the quota service, audited', async () => {
    const g = await w.as.operator.dr.protection.create(protectionInput([sysA, sysB]));
    expect([g.rtoSeconds, g.rpoSeconds, g.activeCentre, g.departmentId]).toEqual([3600, 60, PROD, w.dept.id]);
    const [hold] = await w.deps.store.query<{ state: string; ref: string; items: { cloudId: string; resourceClass: string; amount: number }[] }>(
      'SELECT state, ref, items FROM quota_reservations WHERE id = $1', [g.standby[0]!.reservationId]);
    expect([hold!.state, hold!.ref]).toEqual(['held', `dr-protection:${g.id}`]);
    expect(hold!.items.find((i) => i.resourceClass === 'vcpu')).toEqual(jasmine.objectContaining({ cloudId: 'jx-province', amount: 8 }));
    const trail = await auditTrail(w.deps);
    expect(trail.map((r) => `${r.procedure}:${r.outcome}:${r.target}`)).toEqual([`dr.protection.create:ok:dr-protection:${g.id}`]);
    // Readiness: protected, links up, capacity held; no plan yet and never drilled.
    const r = (await w.as.user.dr.protection.readiness()).items.find((x) => x.systemId === sysA)!;
    expect(r.state).toBe('not-ready');
    expect(r.checks.filter((c) => !c.ok).map((c) => c.id).sort()).toEqual(['drill', 'plan']);
    // Holds are renewed before they run out: the old one released, a new one held, never both.
    const renewed = await w.deps.store.transaction((tx) => renewStandbyHolds(tx, w.deps.quotas, { withinSeconds: 31 * 86_400 }));
    expect(renewed).toEqual([`${g.id}:${SAME_CITY}`]);
    const now = (await w.as.operator.dr.protection.get({ id: g.id })).standby[0]!.reservationId;
    const states = await w.deps.store.query<{ id: string; state: string }>('SELECT id, state FROM quota_reservations WHERE ref = $1 ORDER BY created_at', [`dr-protection:${g.id}`]);
    expect(states.map((x) => x.state)).toEqual(['released', 'held']);
    expect(states[1]!.id).toBe(now!);
    g.standby[0] = { ...g.standby[0]!, reservationId: now };
    // Deleting gives the standby hold back.
    await w.as.operator.dr.protection.delete({ id: g.id });
    expect((await w.deps.store.query<{ state: string }>('SELECT state FROM quota_reservations WHERE id = $1', [g.standby[0]!.reservationId]))[0]!.state).toBe('released');
  });

  it('lets a department read its own groups only; auditors read all; only operators manage', async () => {
    const g = await w.as.operator.dr.protection.create(protectionInput([sysA]));
    expect((await w.as.user.dr.protection.list()).items.map((x) => x.id)).toEqual([g.id]);
    expect((await w.as.auditor.dr.protection.list()).items.map((x) => x.id)).toEqual([g.id]);
    expect((await w.as.otherUser.dr.protection.list()).items).toEqual([]);
    expect((await errorOf(() => w.as.otherUser.dr.protection.get({ id: g.id }))).code).toBe('FORBIDDEN');
    expect((await w.as.otherUser.dr.protection.readiness()).items).toEqual([]);
    const before = await drState(w);
    expect((await errorOf(() => w.as.user.dr.protection.create(protectionInput([sysB], { name: 'mine' })))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => w.as.auditor.dr.protection.delete({ id: g.id }))).code).toBe('FORBIDDEN');
    expect(await drState(w)).toEqual(before);
  });

  const bad: [string, (w: DrWorld, a: string, b: string) => Record<string, unknown>, string, RegExp][] = [
    ['an unknown system', (_w, a) => protectionInput([a, '00000000-0000-4000-8000-000000000001']), 'BAD_REQUEST', /unknown system/],
    ['the production centre named as the same-city centre', (_w, a) => protectionInput([a], { centres: { production: PROD, sameCity: PROD } }), 'BAD_REQUEST', /production centre, not same-city-dr/],
    ['an RPO target below what an asynchronous link can give', (_w, a) => protectionInput([a], { centres: { production: PROD, remote: REMOTE }, mode: 'active-standby', rpoSeconds: 1, standby: [] }), 'BAD_REQUEST', /level 4 and above need a same-city|gives at best/],
    ['a target looser than the DR level allows', (_w, a) => protectionInput([a], { rpoSeconds: 7200 }), 'BAD_REQUEST', /looser than level 5/],
    ['standby capacity at production', (_w, a) => protectionInput([a], { standby: [{ centre: PROD, vcpu: 1, memoryGiB: 1, storageGiB: 1 }] }), 'BAD_REQUEST', /not at production/],
    ['a protected resource not in the inventory', (_w, a) => protectionInput([a], { resources: [{ cloudId: 'jx-province', key: 'resource/nobody/vm/ghost' }] }), 'BAD_REQUEST', /not in the inventory/],
    ['a malformed centre id', (_w, a) => protectionInput([a], { centres: { production: 'nowhere' } }), 'BAD_REQUEST', /centre id/],
  ];
  for (const [why, input, code, message] of bad) {
    it(`refuses a protection with ${why}, changing nothing`, async () => {
      const before = await drState(w);
      const error = await errorOf(() => w.as.operator.dr.protection.create(input(w, sysA, sysB) as never));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(await drState(w)).toEqual(before);
    });
  }

  it('refuses a level-3 system an RPO below its asynchronous link, naming the link', async () => {
    const sysC = await w.system('档案查询', 3);
    const before = await drState(w);
    const error = await errorOf(() => w.as.operator.dr.protection.create(protectionInput([sysC], { name: '档案保护', centres: { production: PROD, remote: REMOTE }, rpoSeconds: 0, standby: [] })));
    expect(error.message).toContain(`its async link ${ASYNC_LINK} gives at best`);
    expect(await drState(w)).toEqual(before);
  });

  it('refuses standby capacity the system’s quota cannot hold, changing nothing', async () => {
    const small = await w.system('小系统', 4, w.dept.id, { vcpuLimit: 4 });
    const before = await drState(w);
    const error = await errorOf(() => w.as.operator.dr.protection.create(protectionInput([small], { name: '小系统保护' })));
    expect([error.code, error.message]).toEqual(['UNPROCESSABLE_CONTENT', jasmine.stringMatching(/quota exceeded at system .*: vcpu on jx-province has 4 left, 8 requested/)]);
    expect(await drState(w)).toEqual(before);
  });

  it('refuses to protect a system twice', async () => {
    await w.as.operator.dr.protection.create(protectionInput([sysA]));
    const error = await errorOf(() => w.as.operator.dr.protection.create(protectionInput([sysA], { name: 'again' })));
    expect([error.code, error.message]).toEqual(['CONFLICT', 'system 社保核心 is already protected by group 社保核心系统保护组']);
  });

  it('versions plans with their critical-path RTO estimate; the same content makes no new version', async () => {
    const g = await w.as.operator.dr.protection.create(protectionInput([sysA, sysB]));
    const v1 = await w.as.operator.dr.plans.save({ groupId: g.id, draft: planDraft(sysA, sysB) as never });
    expect([v1.version, v1.created]).toEqual([1, true]);
    // db-a (120) → app-a (300) → traffic (20)
    expect([v1.estimate.criticalPathSeconds, v1.estimate.criticalPath]).toEqual([440, ['db-a', 'app-a', 'traffic']]);
    expect(v1.estimate.bySystem[sysB]).toBe(90);
    const same = await w.as.operator.dr.plans.save({ groupId: g.id, planId: v1.plan.id, draft: planDraft(sysA, sysB) as never });
    expect([same.version, same.created]).toEqual([1, false]);
    const changed = planDraft(sysA, sysB);
    (changed.steps[2] as { estimateSeconds: number }).estimateSeconds = 100;
    const v2 = await w.as.operator.dr.plans.save({ groupId: g.id, planId: v1.plan.id, draft: changed as never });
    expect([v2.version, v2.estimate.criticalPathSeconds]).toEqual([2, 240]);
    const got = await w.as.user.dr.plans.get({ id: v1.plan.id, version: 1 });
    expect([got.version, got.versions.map((v) => v.version)]).toEqual([1, [2, 1]]);
    expect((await errorOf(() => w.as.otherUser.dr.plans.get({ id: v1.plan.id }))).code).toBe('FORBIDDEN');
    // With a plan the only thing left is the drill.
    const r = (await w.as.user.dr.protection.readiness()).items.find((x) => x.systemId === sysA)!;
    expect(r.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['drill']);
  });

  it('previews a draft (graph and critical path) as saving would check it, writing nothing; the saved version answers the same edges', async () => {
    const g = await w.as.operator.dr.protection.create(protectionInput([sysA, sysB]));
    const before = await drState(w);
    const preview = await w.as.operator.dr.plans.check({ groupId: g.id, draft: planDraft(sysA, sysB) as never });
    expect([preview.estimate.criticalPathSeconds, preview.estimate.criticalPath]).toEqual([440, ['db-a', 'app-a', 'traffic']]);
    // Group 1 has no dependencies; group 2's steps name theirs.
    expect(preview.edges.map(([a, b]) => `${a}>${b}`).sort()).toEqual(['app-a>traffic', 'app-b>traffic', 'db-a>app-a', 'db-b>app-b']);
    expect(await drState(w)).toEqual(before);
    // A step of a later group that names no dependency waits for the whole previous group.
    const grouped = planDraft(sysA, sysB);
    grouped.groups.push({ number: 3, name: '通知' });
    grouped.steps.push({ id: 'notify', title: 'notify', group: 3, kind: 'wait', seconds: 5, reason: 'tell the hall', estimateSeconds: 5 } as never);
    expect((await w.as.operator.dr.plans.check({ groupId: g.id, draft: grouped as never })).edges.filter(([, b]) => b === 'notify')).toEqual([['traffic', 'notify']]);
    const cyclic = planDraft(sysA, sysB);
    (cyclic.steps[0] as { dependsOn?: string[] }).dependsOn = ['db-b'];
    (cyclic.steps[1] as { dependsOn?: string[] }).dependsOn = ['db-a'];
    const refused = await errorOf(() => w.as.operator.dr.plans.check({ groupId: g.id, draft: cyclic as never }));
    expect([refused.code, /cycle/.test(refused.message)]).toEqual(['BAD_REQUEST', true]);
    expect((await errorOf(() => w.as.user.dr.plans.check({ groupId: g.id, draft: planDraft(sysA, sysB) as never }))).code).toBe('FORBIDDEN');
    const saved = await w.as.operator.dr.plans.save({ groupId: g.id, draft: planDraft(sysA, sysB) as never });
    expect((await w.as.user.dr.plans.get({ id: saved.plan.id })).edges).toEqual(preview.edges);
  });

  it('refuses a plan with a cycle (named) or a system outside the group, writing nothing', async () => {
    const g = await w.as.operator.dr.protection.create(protectionInput([sysA, sysB]));
    const before = await drState(w);
    const cyclic = planDraft(sysA, sysB);
    (cyclic.steps[0] as { dependsOn?: string[] }).dependsOn = ['db-b'];
    (cyclic.steps[1] as { dependsOn?: string[] }).dependsOn = ['db-a'];
    const e1 = await errorOf(() => w.as.operator.dr.plans.save({ groupId: g.id, draft: cyclic as never }));
    expect(e1.code).toBe('BAD_REQUEST');
    expect(e1.message).toMatch(/cycle: db-(a|b) → db-(a|b) → db-(a|b)/);
    const sysC = await w.system('外部系统', 4);
    const stranger = planDraft(sysA, sysC);
    const e2 = await errorOf(() => w.as.operator.dr.plans.save({ groupId: g.id, draft: stranger as never }));
    expect(e2.message).toContain('not in the plan\'s protection group');
    expect(await drState(w)).toEqual(before);
    const failed = (await auditTrail(w.deps)).filter((r) => r.outcome === 'error').map((r) => r.procedure);
    expect(failed).toEqual(['dr.plans.save', 'dr.plans.save']);
  });
});
