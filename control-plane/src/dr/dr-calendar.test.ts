import { auditTrail, errorOf } from '../testing/harness.ts';
import { sweepCalendar } from './calendar-service.ts';
import { drWorld, PROD, protectionInput, REMOTE, SAME_CITY, type DrWorld } from '../testing/dr-fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const draft = (sys: string) => ({
  name: '年度演练预案',
  groups: [{ number: 1, name: '数据库' }],
  steps: [{ id: 'db', title: 'promote', group: 1, kind: 'action', operation: 'promoteReplica', at: 'target', systemId: sys, estimateSeconds: 60 }],
});

describe('DR drill calendar (in-process simulated clouds)', () => {
  let w: DrWorld;
  let sys: string;
  let groupId: string;
  let planId: string;
  const iso = (ms: number) => new Date(ms).toISOString();
  /** What a refused call must leave as it was. */
  const state = async () => (await w.deps.store.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM dr_calendar) AS windows, (SELECT count(*)::int FROM quota_reservations WHERE state = 'held') AS held, (SELECT count(*)::int FROM dr_runs) AS runs`))[0]!;
  const holdOf = async (id: string | null) => (await w.deps.store.query<{ state: string; expiresAt: Date; items: { cloudId: string; resourceClass: string; amount: number }[] }>(
    'SELECT state, expires_at AS "expiresAt", items FROM quota_reservations WHERE id = $1', [id]))[0];
  const sweeper = (now: Date) => sweepCalendar({ store: w.deps.store, engine: w.deps.engine, quotas: w.deps.quotas, audit: w.deps.audit, log: w.deps.log }, now);

  beforeEach(async () => {
    w = await drWorld();
    sys = await w.system('社保核心', 5);
    const g = await w.as.operator.dr.protection.create(protectionInput([sys]));
    groupId = g.id;
    planId = (await w.as.operator.dr.plans.save({ groupId, draft: draft(sys) as never })).plan.id;
  }, 120_000);
  afterEach(async () => w.stop());

  it('books a window with the DR-site capacity held for it, shown to the department, not to others; audited', async () => {
    const start = Date.now() + 2 * DAY;
    const booked = await w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start), windowEnd: iso(start + 4 * HOUR), note: '年度演练' });
    expect([booked.status, booked.targetCentre, booked.owner, booked.planName]).toEqual(['scheduled', SAME_CITY, 'ops', '年度演练预案']);
    expect(booked.capacity).toEqual({ vcpu: 8, memoryGiB: 16, storageGiB: 100 });
    const hold = await holdOf(booked.reservationId);
    expect(hold!.state).toBe('held');
    expect(Math.abs(new Date(hold!.expiresAt).getTime() - (start + 4 * HOUR))).toBeLessThan(120_000);
    expect(hold!.items.find((i) => i.resourceClass === 'vcpu')).toEqual(jasmine.objectContaining({ cloudId: 'jx-province', amount: 8 }));
    expect((await w.as.user.dr.calendar.list()).items.map((x) => x.id)).toEqual([booked.id]);
    expect((await w.as.otherUser.dr.calendar.list()).items).toEqual([]);
    expect((await auditTrail(w.deps)).at(-1)).toEqual(jasmine.objectContaining({ procedure: 'dr.calendar.schedule', outcome: 'ok', target: `dr-window:${booked.id}` }));
    // Department users read; they do not book.
    expect((await errorOf(() => w.as.user.dr.calendar.schedule({ groupId, planId, windowStart: iso(start + DAY), windowEnd: iso(start + DAY + HOUR) }))).code).toBe('FORBIDDEN');
  });

  it('refuses a past, too short, too long or overlapping window, a plan of another group, the production centre, and no capacity: nothing stored or held', async () => {
    const start = Date.now() + DAY;
    await w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start), windowEnd: iso(start + 2 * HOUR) });
    const other = await w.system('社保查询', 4);
    const g2 = await w.as.operator.dr.protection.create(protectionInput([other], { name: '查询系统保护组', standby: [] }));
    const plan2 = (await w.as.operator.dr.plans.save({ groupId: g2.id, draft: draft(other) as never })).plan.id;
    const before = await state();
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      ['past', () => w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(Date.now() - HOUR), windowEnd: iso(Date.now() + HOUR) }), 'BAD_REQUEST', /past/],
      ['short', () => w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start + 3 * DAY), windowEnd: iso(start + 3 * DAY + 60_000) }), 'BAD_REQUEST', /15 minutes/],
      ['long', () => w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start + 3 * DAY), windowEnd: iso(start + 11 * DAY) }), 'BAD_REQUEST', /7 days/],
      ['overlap', () => w.as.operator2.dr.calendar.schedule({ groupId, planId, windowStart: iso(start + HOUR), windowEnd: iso(start + 3 * HOUR) }), 'CONFLICT', /overlaps the drill booked by ops/],
      ['plan of another group', () => w.as.operator.dr.calendar.schedule({ groupId, planId: plan2, windowStart: iso(start + 3 * DAY), windowEnd: iso(start + 3 * DAY + HOUR) }), 'BAD_REQUEST', /not a plan of this protection group/],
      ['production', () => w.as.operator.dr.calendar.schedule({ groupId, planId, target: PROD, windowStart: iso(start + 3 * DAY), windowEnd: iso(start + 3 * DAY + HOUR) }), 'BAD_REQUEST', /production centre/],
      ['no capacity', () => w.as.operator.dr.calendar.schedule({ groupId: g2.id, planId: plan2, target: REMOTE, windowStart: iso(start), windowEnd: iso(start + HOUR) }), 'BAD_REQUEST', /no standby capacity at/],
      ['end before start', () => w.as.operator.dr.calendar.list({ from: iso(start), to: iso(start - HOUR) }), 'BAD_REQUEST', /not after its start/],
    ];
    for (const [why, call, code, message] of cases) {
      const e = await errorOf(call);
      expect(`${why}: ${e.code}`).toBe(`${why}: ${code}`);
      expect(e.message).withContext(why).toMatch(message);
    }
    expect(await state()).toEqual(before);
  });

  it('starts the drill when its window opens, as the operator who booked it, and audits the start', async () => {
    const start = Date.now() + 60_000;
    const booked = await w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start), windowEnd: iso(start + HOUR) });
    expect(await sweeper(new Date(start - 1000))).toEqual({ started: [], missed: [], held: [] });
    expect(await sweeper(new Date(start + 1000))).toEqual({ started: [booked.id], missed: [], held: [] });
    const after = (await w.as.operator.dr.calendar.list()).items[0]!;
    expect([after.status, after.runStatus]).toEqual(['started', 'running']);
    const run = await w.as.operator.dr.runs.get({ id: after.runId! });
    expect([run.kind, run.operator, run.targetCentre, run.workflowId !== null]).toEqual(['drill', 'ops', SAME_CITY, true]);
    expect((await auditTrail(w.deps)).at(-1)).toEqual(jasmine.objectContaining({ procedure: 'dr.calendar.start', actor: 'ops', target: `dr-window:${booked.id}` }));
    // A second pass does nothing more: one run per window.
    expect((await sweeper(new Date(start + 2000))).started).toEqual([]);
  });

  it('keeps a window whose drill cannot start yet (another operation runs) with the reason, marks it missed when it closes, and gives the capacity back', async () => {
    const start = Date.now() + 60_000;
    const booked = await w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start), windowEnd: iso(start + HOUR) });
    await w.as.operator2.dr.runs.start({ groupId, kind: 'switchover', planId }); // awaiting approval: the group is busy
    await sweeper(new Date(start + 1000));
    const waiting = (await w.as.operator.dr.calendar.list()).items[0]!;
    expect([waiting.status, waiting.reason]).toEqual(['scheduled', jasmine.stringMatching(/already has a switchover running/)]);
    expect(await sweeper(new Date(start + HOUR + 1000))).toEqual({ started: [], missed: [booked.id], held: [] });
    const missed = (await w.as.operator.dr.calendar.list()).items[0]!;
    expect(missed.status).toBe('missed');
    expect((await holdOf(booked.reservationId))!.state).toBe('released');
  });

  it('holds the capacity of a window more than 30 days ahead once it comes within 30 days', async () => {
    const start = Date.now() + 40 * DAY;
    const booked = await w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start), windowEnd: iso(start + 2 * HOUR) });
    expect([booked.reservationId, booked.reason]).toEqual([null, jasmine.stringMatching(/within 30 days/)]);
    expect((await sweeper(new Date(Date.now() + 5 * DAY))).held).toEqual([]);
    expect((await sweeper(new Date(Date.now() + 11 * DAY))).held).toEqual([booked.id]);
    const held = (await w.as.operator.dr.calendar.list({ from: iso(start - DAY), to: iso(start + DAY) })).items[0]!;
    expect((await holdOf(held.reservationId))!.state).toBe('held');
  });

  it('flags systems overdue for a drill with nothing booked, and cancelling a window gives its capacity back', async () => {
    expect((await w.as.user.dr.calendar.list()).overdue.map((o) => o.systemId)).toEqual([sys]);
    const start = Date.now() + DAY;
    const booked = await w.as.operator.dr.calendar.schedule({ groupId, planId, windowStart: iso(start), windowEnd: iso(start + HOUR) });
    expect((await w.as.user.dr.calendar.list()).overdue).toEqual([]);
    const cancelled = await w.as.operator.dr.calendar.cancel({ id: booked.id });
    expect(cancelled.status).toBe('cancelled');
    expect((await holdOf(booked.reservationId))!.state).toBe('released');
    expect((await w.as.user.dr.calendar.list()).overdue.map((o) => o.systemId)).toEqual([sys]);
    expect((await errorOf(() => w.as.operator.dr.calendar.cancel({ id: booked.id }))).code).toBe('CONFLICT');
  });
});
