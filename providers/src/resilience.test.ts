import { ProviderError } from './errors.ts';
import { providerErrorOf, tenantSpec, vmSpec } from './conformance.ts';
import { withResilience, type CallOutcome, type CircuitStateName, type OperationClass, type ResilienceOptions } from './resilience.ts';
import { smallProvider } from './testing/small-clouds.ts';
import type { SimulatedProvider } from './simulated/simulated-provider.ts';
import { counting, sleep } from './testing/counting.ts';

/** Tiny timings so that retries and half-opening take milliseconds. */
const FAST: Partial<ResilienceOptions> = {
  timeoutMs: 1000,
  maxAttempts: 3,
  initialDelayMs: 1,
  maxDelayMs: 5,
  breakerThreshold: 100,
  halfOpenAfterMs: 20,
  bulkheadLimit: 4,
  bulkheadQueue: 4,
};

describe('withResilience', () => {
  let sim: SimulatedProvider;
  let calls: { op: string; outcome: CallOutcome; seconds: number }[];
  /** Transitions of every class's circuit, with the (possibly mocked) time they happened. */
  let transitions: { opClass: OperationClass; state: CircuitStateName; at: number }[];
  const statesOf = (opClass: OperationClass) => transitions.filter((t) => t.opClass === opClass).map((t) => t.state);
  const options = (more: Partial<ResilienceOptions> = {}): Partial<ResilienceOptions> => ({
    ...FAST,
    onCall: (_p, op, outcome, seconds) => calls.push({ op, outcome, seconds }),
    onCircuitState: (_c, state, opClass) => transitions.push({ opClass, state, at: Date.now() }),
    ...more,
  });

  beforeEach(() => {
    sim = smallProvider();
    calls = [];
    transitions = [];
  });

  it('retries retryable errors, then gives up with the last one', async () => {
    sim.setFaults({ errorRate: 1 });
    const c = counting(sim);
    const e = await providerErrorOf(() => withResilience(c.provider, options()).health());
    expect([e.code, e.op, e.provider]).toEqual(['unavailable', 'health', 'test-cloud']);
    expect(c.count('health')).toBe(3);
    expect(calls).toEqual([jasmine.objectContaining({ op: 'health', outcome: 'unavailable' })]);
  });

  it('succeeds when a retry gets through', async () => {
    sim.setFaults({ failPage: { page: 1, times: 2 } });
    const c = counting(sim);
    const page = await withResilience(c.provider, options()).listInventory({ pageSize: 10 });
    expect(page.full).toBeTrue();
    expect(c.count('listInventory')).toBe(3);
    expect(calls.map((x) => x.outcome)).toEqual(['ok']);
    expect(calls[0].seconds).toBeGreaterThanOrEqual(0);
  });

  const notRetried: { why: string; arrange: (p: SimulatedProvider) => void; code: string }[] = [
    { why: 'garbage is not fixed by asking again', arrange: (p) => p.setFaults({ garbageRate: 1 }), code: 'garbage' },
    { why: 'a missing object stays missing', arrange: () => undefined, code: 'not-found' },
    { why: 'a Retry-After beyond maxDelayMs goes back to the caller', arrange: (p) => p.setFaults({ throttleRate: 1, retryAfterMs: 60_000 }), code: 'throttled' },
  ];
  for (const c of notRetried) {
    it(`does not retry ${c.code} (${c.why})`, async () => {
      c.arrange(sim);
      const counted = counting(sim);
      const e = await providerErrorOf(() => withResilience(counted.provider, options()).updateResource(vmSpec('t', 'x'), { idempotencyKey: 'k1' }));
      expect(e.code).toBe(c.code);
      expect(counted.count('updateResource')).toBe(1);
    });
  }

  it('retries throttling that asks for a short wait', async () => {
    sim.setFaults({ throttleRate: 1, retryAfterMs: 2 });
    const c = counting(sim);
    const e = await providerErrorOf(() => withResilience(c.provider, options()).capacity());
    expect([e.code, e.retryAfterMs]).toEqual(['throttled', 2]);
    expect(c.count('capacity')).toBe(3);
  });

  it('times out a slow call and aborts it', async () => {
    sim.setFaults({ latencyMs: 60_000 });
    const e = await providerErrorOf(() => withResilience(sim, options({ timeoutMs: 20, maxAttempts: 1 })).health());
    expect([e.code, e.retryable, e.op]).toEqual(['timeout', true, 'health']);
    expect(calls.map((x) => x.outcome)).toEqual(['timeout']);
  });

  it('opens the circuit after consecutive failures, then half-opens on the next call and closes', async () => {
    sim.setFaults({ down: true });
    const c = counting(sim);
    const p = withResilience(c.provider, options({ breakerThreshold: 2, maxAttempts: 1, recoveryProbe: false }));
    await providerErrorOf(() => p.health());
    await providerErrorOf(() => p.health());
    expect(p.circuitState).toBe('open');
    const open = await providerErrorOf(() => p.health());
    expect([open.code, open.reason, open.retryAfterMs]).toEqual(['unavailable', 'circuit-open', 20]);
    expect(c.count('health')).withContext('an open circuit does not call the cloud').toBe(2);
    sim.setFaults({});
    await sleep(40);
    expect((await p.health()).status).toBe('ok');
    expect(p.circuitState).toBe('closed');
    expect(statesOf('health')).toEqual(['closed', 'open', 'half-open', 'closed']);
    expect(calls.map((x) => x.outcome)).toEqual(['unavailable', 'unavailable', 'circuit-open', 'ok']);
  });

  it('re-opens when the half-open probe fails', async () => {
    sim.setFaults({ down: true });
    const p = withResilience(sim, options({ breakerThreshold: 1, maxAttempts: 1, recoveryProbe: false }));
    await providerErrorOf(() => p.health());
    await sleep(40);
    await providerErrorOf(() => p.health());
    expect(statesOf('health')).toEqual(['closed', 'open', 'half-open', 'open']);
  });

  it('does not let request errors open the circuit', async () => {
    const p = withResilience(sim, options({ breakerThreshold: 2, maxAttempts: 1 }));
    for (let i = 0; i < 3; i++) await providerErrorOf(() => p.updateResource(vmSpec('t', `x${i}`), { idempotencyKey: `k${i}` }));
    expect(p.circuitState).toBe('closed');
  });

  it('rejects calls beyond the bulkhead', async () => {
    sim.setFaults({ latencyMs: 30 });
    const p = withResilience(sim, options({ bulkheadLimit: 1, bulkheadQueue: 0 }));
    const first = p.health();
    const e = await providerErrorOf(() => p.health());
    expect([e.code, e.reason]).toEqual(['throttled', 'bulkhead-full']);
    expect((await first).status).toBe('ok');
    expect(calls.map((x) => x.outcome).sort()).toEqual(['bulkhead-rejected', 'ok']);
  });

  it('retries a mutation whose answer was lost without a second effect', async () => {
    await sim.createTenantSpace(tenantSpec('t1'), { idempotencyKey: 'tenant' });
    const c = counting(sim, (op, n) => {
      // The first attempt reaches the cloud, which applies it; the answer is lost.
      if (op === 'createResource') sim.setFaults(n === 1 ? { lostResponseRate: 1 } : {});
    });
    const r = await withResilience(c.provider, options()).createResource(vmSpec('t1', 'app-01'), { idempotencyKey: 'create-app-01' });
    expect(r.outcome).toBe('created');
    expect(sim.cloud.callsByIdempotencyKey('create-app-01')).toBe(2);
    expect(sim.cloud.effectsByIdempotencyKey('create-app-01')).toBe(1);
  });

  it('passes ProviderErrors through unchanged and wraps anything else as internal', async () => {
    const broken = counting(sim, () => {
      throw new TypeError('bug in an adapter');
    });
    const e = await providerErrorOf(() => withResilience(broken.provider, options()).health());
    expect(e).toBeInstanceOf(ProviderError);
    expect([e.code, e.retryable]).toEqual(['internal', false]);
    expect(e.cause).toBeInstanceOf(TypeError);
  });
});
