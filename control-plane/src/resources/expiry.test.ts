import { hosts, onboardingLimits, segment, worldWithSystem, type World } from '../testing/onboarding-fixtures.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';
import { errorOf } from '../testing/harness.ts';
import { DEFAULT_EXPIRY, sweepExpiry } from './expiry.ts';
import { at, walkPages } from '../testing/paging.ts';

const LIMITS = onboardingLimits();
const DAY = 24 * 3600_000;

describe('resource end dates (到期): notice, then release unless renewed (in-process simulated clouds)', () => {
  let w: World;
  let systemId: string;
  const byName = async (name: string) => (await w.as.user.resources.list({ limit: 50 })).items.find((r) => r.name === name)!;
  const sweep = (at: Date) => sweepExpiry({ store: w.deps.store, engine: w.deps.engine, audit: w.deps.audit }, at);
  const onCloud = (cloudName: string) => w.deps.federation.simulated('nanchang')!.cloud.listInventory({ pageSize: 5000 }).items
    .some((it) => it.type === 'resource' && it.resource.spec.tenant === tenantNameOf(systemId) && it.resource.spec.name === cloudName && it.resource.state !== 'deleting');
  const requestsOf = async (resourceId: string) => w.deps.store.query<{ id: string; status: string; workflowId: string }>(
    `SELECT id, status, workflow_id AS "workflowId" FROM resource_requests WHERE target_resource_id = $1`, [resourceId]);

  beforeEach(async () => {
    ({ w, systemId } = await worldWithSystem({ pools: ['nanchang'], cloudId: 'nanchang', limits: LIMITS }));
    const r = await w.as.user.requests.submit({ systemId, title: '主机', cloudId: 'nanchang', resources: [segment, hosts] });
    await w.as.deptAdmin.requests.approve({ id: r.id, reason: '同意' });
    expect((await w.settled((await w.as.operator.requests.approve({ id: r.id, reason: '同意' })).workflowId!, 60_000)).status).toBe('succeeded');
  }, 90_000);
  afterEach(async () => w.stop());

  it('notice before the end date, release after it (through the release workflow), a renewed one kept; a second sweep starts nothing twice', async () => {
    const [web1, web2] = [await byName('web-1'), await byName('web-2')];
    const t0 = Date.now();
    await w.as.user.resources.setEndDate({ id: web1.id, endDate: new Date(t0 + 3 * DAY).toISOString() });
    await w.as.user.resources.setEndDate({ id: web2.id, endDate: new Date(t0 + 3 * DAY).toISOString() });

    // Ten days before: nothing yet. Three days before: notice for both, no release.
    expect(await sweep(new Date(t0 - 7 * DAY))).toEqual({ noticed: [], reclaimed: [] });
    const first = await sweep(new Date(t0));
    expect(first.noticed.sort()).toEqual([web1.id, web2.id].sort());
    expect(first.reclaimed).toEqual([]);
    expect((await byName('web-1')).expiryNoticedAt).not.toBeNull();
    const notices = await w.deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE procedure = 'resources.expiryNotice'`);
    expect(notices[0]!.n).toBe(1);

    // web-2 is renewed: its notice no longer counts.
    await w.as.user.resources.setEndDate({ id: web2.id, endDate: new Date(t0 + 30 * DAY).toISOString() });
    expect((await byName('web-2')).expiryNoticedAt).toBeNull();

    const after = new Date(t0 + 4 * DAY);
    expect(await sweep(after)).toEqual({ noticed: [], reclaimed: [web1.id] });
    expect(await sweep(after)).toEqual({ noticed: [], reclaimed: [] });
    const [req] = await requestsOf(web1.id);
    expect((await w.settled(req!.workflowId, 60_000)).status).toBe('succeeded');
    expect((await requestsOf(web1.id)).map((r) => r.status)).toEqual(['provisioned']);
    expect(onCloud(web1.cloudName)).toBeFalse();
    expect(onCloud(web2.cloudName)).toBeTrue();
    expect((await w.as.user.resources.get({ id: web1.id })).state).toBe('released');
    expect(await requestsOf(web2.id)).toEqual([]);
  }, 120_000);

  it('an end date noticed late still gets the minimum notice; a segment waits for the hosts on it', async () => {
    const [seg, web1] = [await byName('app'), await byName('web-1')];
    const t0 = Date.now();
    await w.as.user.resources.setEndDate({ id: seg.id, endDate: new Date(t0 + 3600_000).toISOString() });
    await w.as.user.resources.setEndDate({ id: web1.id, endDate: new Date(t0 + 3600_000).toISOString() });
    // First seen two hours after its end date: notice now, release only a day later.
    const late = new Date(t0 + 2 * 3600_000);
    expect((await sweep(late)).reclaimed).toEqual([]);
    expect((await sweep(new Date(late.getTime() + DEFAULT_EXPIRY.minNoticeMs - 60_000))).reclaimed).toEqual([]);
    // A day later the host goes; the segment still carries web-2, so it stays.
    const due = new Date(late.getTime() + DEFAULT_EXPIRY.minNoticeMs + 60_000);
    expect(await sweep(due)).toEqual({ noticed: [], reclaimed: [web1.id] });
    expect((await byName('app')).state).toBe('active');
  }, 120_000);

  it('the reminder reaches the resource’s requester as a notice, once per end date; only they see it and mark it read', async () => {
    const web1 = await byName('web-1');
    const t0 = Date.now();
    const endDate = new Date(t0 + 3 * DAY).toISOString();
    await w.as.user.resources.setEndDate({ id: web1.id, endDate });
    expect((await w.as.user.resources.notices()).items).toEqual([]);
    await sweep(new Date(t0));
    await sweep(new Date(t0 + 60_000));
    const { items } = await w.as.user.resources.notices({ unreadOnly: true });
    expect(items.map((n) => [n.kind, n.resourceId, n.resourceName, n.systemId, n.dueAt, n.readAt])).toEqual([['expiry', web1.id, 'web-1', systemId, endDate.replace('+00:00', 'Z'), null]]);
    // Another department's user sees nothing and cannot mark it; the owner can.
    expect((await w.as.otherUser.resources.notices()).items).toEqual([]);
    expect((await errorOf(() => w.as.otherUser.resources.markNoticeRead({ id: items[0]!.id }))).code).toBe('NOT_FOUND');
    await w.as.user.resources.markNoticeRead({ id: items[0]!.id });
    expect((await w.as.user.resources.notices({ unreadOnly: true })).items).toEqual([]);
    expect((await w.as.user.resources.notices()).items.map((n) => n.readAt === null)).toEqual([false]);
    // Renewed and noticed again for the new date: a new notice.
    const later = new Date(t0 + 30 * DAY).toISOString();
    await w.as.user.resources.setEndDate({ id: web1.id, endDate: later });
    await sweep(new Date(t0 + 27 * DAY));
    expect((await w.as.user.resources.notices({ unreadOnly: true })).items.map((n) => n.dueAt)).toEqual([later.replace('+00:00', 'Z')]);
    // The list pages by cursor, newest first: a page of one, then the older notice, then the end.
    const all = await walkPages((c) => w.as.user.resources.notices({ limit: 1, ...at(c) }), (n) => n.dueAt);
    expect(all).toEqual({ seen: [later.replace('+00:00', 'Z'), endDate.replace('+00:00', 'Z')], pages: 2 });
    expect((await errorOf(() => w.as.user.resources.notices({ cursor: 'x' }))).reason.path).toEqual(['cursor']);
  }, 120_000);

  it('end dates: ahead only, the department’s own resources only', async () => {
    const web1 = await byName('web-1');
    const past = await errorOf(() => w.as.user.resources.setEndDate({ id: web1.id, endDate: new Date(Date.now() - DAY).toISOString() }));
    expect([past.code, Object.keys(past.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['endDate']]);
    const bad = await errorOf(() => w.as.user.resources.setEndDate({ id: web1.id, endDate: 'next tuesday' }));
    expect([bad.code, Object.keys(bad.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['endDate']]);
    const theirs = await errorOf(() => w.as.otherUser.resources.setEndDate({ id: web1.id, endDate: new Date(Date.now() + DAY).toISOString() }));
    expect(theirs.code).toBe('FORBIDDEN');
    expect((await byName('web-1')).expiresAt).toBeNull();
  }, 60_000);
});
