import { providerErrorOf, tenantSpec, vmSpec } from '../conformance.ts';
import { RemoteProvider } from '../remote/remote-provider.ts';
import { SimAdminClient } from '../remote/sim-admin-client.ts';
import { startSimServer, type SimServer } from './http-server.ts';
import { smallCloud } from '../testing/small-clouds.ts';

describe('sim HTTP server', () => {
  let server: SimServer;
  let remote: RemoteProvider;
  let admin: SimAdminClient;

  beforeEach(async () => {
    server = await startSimServer({ cloud: smallCloud({ cloudId: 'http-cloud' }), token: 'sim-token' });
    remote = new RemoteProvider({ cloudId: 'http-cloud', endpoint: server.url, token: 'sim-token' });
    admin = new SimAdminClient(server.url, 'sim-token');
  });
  afterEach(async () => server.close());

  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('requires the bearer token when one is set', async () => {
    const anonymous = new RemoteProvider({ cloudId: 'http-cloud', endpoint: server.url });
    const wrong = new RemoteProvider({ cloudId: 'http-cloud', endpoint: server.url, token: 'not-the-token' });
    for (const p of [anonymous, wrong]) {
      const e = await providerErrorOf(() => p.connect());
      expect([e.code, e.retryable]).toEqual(['auth', false]);
    }
  });

  it('calls a token that cannot go in a header a local error, not an outage', async () => {
    const p = new RemoteProvider({ cloudId: 'http-cloud', endpoint: server.url, token: '令牌' });
    expect((await providerErrorOf(() => p.connect())).code).toBe('invalid');
  });

  it('drops the socket when down: the adapter sees an unreachable cloud', async () => {
    await admin.setFaults({ down: true });
    const e = await providerErrorOf(() => remote.health());
    expect([e.code, e.retryable]).toEqual(['unavailable', true]);
    expect((await admin.stats()).cloudId).withContext('admin routes are never faulted').toBe('http-cloud');
  });

  it('answers 429 with Retry-After when throttling', async () => {
    await admin.setFaults({ throttleRate: 1, retryAfterMs: 2500 });
    const res = await fetch(`${server.url}/v1/health`, { headers: { authorization: 'Bearer sim-token' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toEqual({ error: jasmine.objectContaining({ code: 'throttled', retryable: true, retryAfterMs: 2500 }) });
  });

  it('sends a truncated body for garbage', async () => {
    await admin.setFaults({ garbageRate: 1 });
    const res = await fetch(`${server.url}/v1/capacity`, { headers: { authorization: 'Bearer sim-token' } });
    expect(res.status).toBe(200);
    await expectAsync(res.clone().json()).toBeRejected();
    expect((await providerErrorOf(() => remote.capacity())).code).toBe('garbage');
  });

  it('counts idempotency keys and applies mutations and clock moves from admin hooks', async () => {
    await remote.createTenantSpace(tenantSpec('t1'), { idempotencyKey: 'tk' });
    await remote.createTenantSpace(tenantSpec('t1'), { idempotencyKey: 'tk' });
    expect(await admin.idempotency('tk')).toEqual({ key: 'tk', calls: 2, effects: 1 });
    await remote.createResource(vmSpec('t1', 'a'), { idempotencyKey: 'ra' });
    const pages = await remote.listInventory({ pageSize: 100 });
    await admin.mutate({ op: 'delete-resource', ref: vmSpec('t1', 'a') });
    const changes = await remote.listInventory({ pageSize: 100, cursor: pages.cursor });
    expect(changes.items.map((i) => `${i.type} ${i.key}`)).toContain('tombstone resource:t1/vm/a');
    await admin.advance(1000);
    expect((await admin.stats()).now).toBe('2025-01-01T00:00:01.000Z');
  });

  it('refuses bodies that are not JSON or not the contract, and unknown routes', async () => {
    const post = (path: string, body: string): Promise<Response> =>
      fetch(`${server.url}${path}`, { method: 'POST', body, headers: { authorization: 'Bearer sim-token', 'idempotency-key': 'x' } });
    const notJson = await post('/v1/tenant-spaces', '{oops');
    expect([notJson.status, ((await notJson.json()) as { error: { code: string } }).error.code]).toEqual([400, 'invalid']);
    const wrongShape = await post('/v1/tenant-spaces', JSON.stringify({ name: 't', quota: { vcpu: -1 } }));
    expect(wrongShape.status).toBe(400);
    const nowhere = await post('/v2/anything', '{}');
    expect(nowhere.status).toBe(404);
    const badMutation = await post('/admin/mutate', JSON.stringify({ op: 'set-fire' }));
    expect(badMutation.status).toBe(400);
  });

  it('requires a PUT body to name the object in its URL', async () => {
    await remote.createTenantSpace(tenantSpec('t1'), { idempotencyKey: 'a' });
    const res = await fetch(`${server.url}/v1/tenant-spaces/t2`, {
      method: 'PUT',
      body: JSON.stringify(tenantSpec('t1')),
      headers: { authorization: 'Bearer sim-token', 'idempotency-key': 'b', 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });
});
