import { providerErrorOf, tenantSpec, vmSpec } from '../conformance.ts';
import { FaultInjector, type FaultSettings } from './faults.ts';
import { smallProvider } from '../testing/small-clouds.ts';

describe('faults of the in-process simulated provider', () => {
  const table: { fault: FaultSettings; code: string; retryable: boolean; retryAfterMs?: number; why: string }[] = [
    { fault: { down: true }, code: 'unavailable', retryable: true, why: 'down: the connection is refused' },
    { fault: { errorRate: 1 }, code: 'unavailable', retryable: true, why: 'error rate: transient 503s' },
    { fault: { throttleRate: 1, retryAfterMs: 750 }, code: 'throttled', retryable: true, retryAfterMs: 750, why: '429 with Retry-After' },
    { fault: { garbageRate: 1 }, code: 'garbage', retryable: false, why: 'an answer that does not parse' },
  ];
  for (const c of table) {
    it(`${c.why} → ${c.code}`, async () => {
      const p = smallProvider();
      p.setFaults(c.fault);
      const e = await providerErrorOf(() => p.capacity());
      expect([e.code, e.retryable, e.provider, e.op]).toEqual([c.code, c.retryable, 'test-cloud', 'capacity']);
      expect(e.retryAfterMs).toBe(c.retryAfterMs);
      p.setFaults({});
      expect((await p.capacity()).cloudId).withContext('healed').toBe('test-cloud');
    });
  }

  it('fails the chosen page of a listing the chosen number of times', async () => {
    const p = smallProvider({ initialResources: 20 });
    p.setFaults({ failPage: { page: 2, times: 2 } });
    const first = await p.listInventory({ pageSize: 5 });
    const token = first.nextPage as string;
    for (let i = 0; i < 2; i++) expect((await providerErrorOf(() => p.listInventory({ pageSize: 5, page: token }))).code).toBe('unavailable');
    expect((await p.listInventory({ pageSize: 5, page: token })).items.length).toBe(5);
  });

  it('slow: adds latency, and a caller abort ends the wait with a timeout', async () => {
    const p = smallProvider();
    p.setFaults({ latencyMs: 3_600_000 });
    const controller = new AbortController();
    const pending = providerErrorOf(() => p.health({ signal: controller.signal }));
    controller.abort();
    expect((await pending).code).toBe('timeout');
  });

  it('lost response: the mutation is applied but the caller hears a timeout', async () => {
    const p = smallProvider();
    await p.createTenantSpace(tenantSpec('t1'), { idempotencyKey: 't1' });
    p.setFaults({ lostResponseRate: 1 });
    const e = await providerErrorOf(() => p.createResource(vmSpec('t1', 'a'), { idempotencyKey: 'lost' }));
    expect([e.code, e.retryable]).toEqual(['timeout', true]);
    p.setFaults({});
    expect((await p.observeResource(vmSpec('t1', 'a'))).exists).toBeTrue();
    expect((await p.createResource(vmSpec('t1', 'a'), { idempotencyKey: 'lost' })).outcome).toBe('created');
    expect(p.cloud.effectsByIdempotencyKey('lost')).toBe(1);
  });

  it('limits faults to the listed operations', async () => {
    const p = smallProvider();
    p.setFaults({ down: true, ops: ['listInventory'] });
    expect((await p.health()).status).toBe('ok');
    expect((await providerErrorOf(() => p.listInventory({ pageSize: 1 }))).code).toBe('unavailable');
  });

  it('does not let a call reach a down cloud', async () => {
    const p = smallProvider();
    p.setFaults({ down: true });
    await providerErrorOf(() => p.createTenantSpace(tenantSpec('t1'), { idempotencyKey: 'down' }));
    expect(p.cloud.callsByIdempotencyKey('down')).toBe(0);
  });
});

describe('FaultInjector', () => {
  it('refuses rates outside [0, 1]', () => {
    expect(() => new FaultInjector(1).set({ errorRate: 1.5 })).toThrowError(RangeError, /errorRate/);
    expect(() => new FaultInjector(1).set({ failPage: { page: 0 } })).toThrowError(RangeError, /failPage/);
  });

  it('rolls the same faults from the same seed', () => {
    const roll = (seed: number): string[] => {
      const f = new FaultInjector(seed);
      f.set({ errorRate: 0.3, throttleRate: 0.2 });
      return Array.from({ length: 50 }, () => f.before('health').kind);
    };
    expect(roll(42)).toEqual(roll(42));
    expect(roll(42)).not.toEqual(roll(43));
    expect(new Set(roll(42))).toEqual(new Set(['none', 'error', 'throttle']));
  });
});
