import { providerErrorOf, tenantSpec, vmSpec } from './conformance.ts';
import { DEFAULT_RESILIENCE, operationClassOf, withResilience, type CircuitStateName, type OperationClass, type ResilienceOptions } from './resilience.ts';
import { smallProvider } from './testing/small-clouds.ts';
import type { SimulatedProvider } from './simulated/simulated-provider.ts';
import { counting } from './testing/counting.ts';

/** No retries and a low threshold, so that two failures open a circuit; real half-open delay unless a spec says. */
const STRICT: Partial<ResilienceOptions> = { timeoutMs: 60_000, maxAttempts: 1, breakerThreshold: 2, bulkheadLimit: 4, bulkheadQueue: 4 };
const MUTATIONS = ['createTenantSpace', 'updateTenantSpace', 'deleteTenantSpace', 'createResource', 'updateResource', 'deleteResource'] as const;

describe('circuit breakers per operation class', () => {
  let sim: SimulatedProvider;
  let transitions: { opClass: OperationClass; state: CircuitStateName; at: number }[];
  const options = (more: Partial<ResilienceOptions> = {}): Partial<ResilienceOptions> => ({
    ...STRICT,
    onCircuitState: (_c, state, opClass) => transitions.push({ opClass, state, at: Date.now() }),
    ...more,
  });

  beforeEach(() => {
    sim = smallProvider();
    transitions = [];
  });

  it('classes every contract operation (mutations, the inventory listing and health apart from reads)', () => {
    expect(MUTATIONS.map(operationClassOf)).toEqual(MUTATIONS.map(() => 'mutate'));
    expect(['listInventory', 'health', 'capacity', 'observeResource', 'observeByKey', 'connect'].map(operationClassOf))
      .toEqual(['inventory', 'health', 'read', 'read', 'read', 'read']);
  });

  it('serves reads, inventory and health while mutations are faulted and their circuit is open', async () => {
    await sim.createTenantSpace(tenantSpec('t1'), { idempotencyKey: 'seed' });
    sim.setFaults({ down: true, ops: MUTATIONS });
    const c = counting(sim);
    const p = withResilience(c.provider, options());
    for (const name of ['a', 'b']) expect((await providerErrorOf(() => p.createResource(vmSpec('t1', name), { idempotencyKey: name }))).code).toBe('unavailable');
    const refused = await providerErrorOf(() => p.updateTenantSpace(tenantSpec('t1'), { idempotencyKey: 'u' }));
    expect([refused.code, refused.reason]).toEqual(['unavailable', 'circuit-open']);
    expect(c.count('updateTenantSpace')).withContext('an open circuit does not call the cloud').toBe(0);

    expect((await p.observeTenantSpace(tenantSpec('t1'))).exists).toBeTrue();
    expect((await p.capacity()).pools.length).toBeGreaterThan(0);
    expect((await p.listInventory({ pageSize: 10 })).items.length).toBeGreaterThan(0);
    expect((await p.health()).status).toBe('ok');
    expect(p.circuitStates).toEqual({ read: 'closed', mutate: 'open', inventory: 'closed', health: 'closed' });
    expect(p.circuitState).withContext('the single figure is the worst class').toBe('open');
  });

  it('reports its states as one frozen object until a circuit moves (so a poller can tell nothing moved by identity)', async () => {
    const p = withResilience(sim, options());
    const before = p.circuitStates;
    expect(await p.capacity()).toBeDefined();
    expect(p.circuitStates).withContext('calls that move no circuit').toBe(before);
    expect(Object.isFrozen(before)).toBeTrue();
    sim.setFaults({ errorRate: 1, ops: ['listInventory'] });
    for (let i = 0; i < 2; i++) await providerErrorOf(() => p.listInventory({ pageSize: 10 }));
    const opened = p.circuitStates;
    expect(opened).not.toBe(before);
    expect(opened).toEqual({ read: 'closed', mutate: 'closed', inventory: 'open', health: 'closed' });
    expect(p.circuitStates).toBe(opened);
    expect(before).withContext('the old object still says what it said').toEqual({ read: 'closed', mutate: 'closed', inventory: 'closed', health: 'closed' });
  });

  it('does not open the mutate circuit when the inventory listing is throttled or failing', async () => {
    sim.setFaults({ throttleRate: 1, retryAfterMs: 60_000, ops: ['listInventory'] });
    const p = withResilience(sim, options());
    for (let i = 0; i < 3; i++) expect((await providerErrorOf(() => p.listInventory({ pageSize: 10 }))).code).toBe('throttled');
    expect(p.circuitStates).withContext('throttling is the cloud asking to slow down, not failing').toEqual({ read: 'closed', mutate: 'closed', inventory: 'closed', health: 'closed' });

    sim.setFaults({ errorRate: 1, ops: ['listInventory'] });
    for (let i = 0; i < 2; i++) await providerErrorOf(() => p.listInventory({ pageSize: 10 }));
    expect(p.circuitStates).toEqual({ read: 'closed', mutate: 'closed', inventory: 'open', health: 'closed' });
    expect((await p.createTenantSpace(tenantSpec('t2'), { idempotencyKey: 't2' })).outcome).toBe('created');
    expect(transitions.filter((t) => t.opClass === 'mutate').map((t) => t.state)).toEqual(['closed']);
  });

  describe('recovery (mocked clock: the configured delays, not wall time)', () => {
    const T0 = Date.UTC(2026, 0, 1);
    beforeEach(() => {
      jasmine.clock().install();
      jasmine.clock().mockDate(new Date(T0));
    });
    afterEach(() => jasmine.clock().uninstall());

    /** Lets the probe's promise chain run (the clock is mocked, microtasks are not). */
    const settle = async (until: () => boolean) => {
      for (let i = 0; i < 1000 && !until(); i++) await Promise.resolve();
    };

    it('probes health by itself once the half-open delay has passed, and shows the recovery within it', async () => {
      const halfOpenAfterMs = DEFAULT_RESILIENCE.halfOpenAfterMs;
      sim.setFaults({ down: true });
      const c = counting(sim);
      const p = withResilience(c.provider, options({ halfOpenAfterMs }));
      for (let i = 0; i < 2; i++) await providerErrorOf(() => p.health());
      const opened = transitions.find((t) => t.opClass === 'health' && t.state === 'open')!;
      expect(opened.at).toBe(T0);

      // The cloud stays down past the first probe: the probe fails, the circuit re-opens and probes again later.
      jasmine.clock().tick(halfOpenAfterMs + 1);
      await settle(() => c.count('health') === 3 && p.circuitStates.health === 'open');
      expect(c.count('health')).withContext('one probe, no caller').toBe(3);
      expect(p.circuitStates.health).toBe('open');

      jasmine.clock().tick(500);
      sim.setFaults({});
      const clearedAt = Date.now();
      jasmine.clock().tick(halfOpenAfterMs);
      await settle(() => p.circuitStates.health === 'closed');

      const health = transitions.filter((t) => t.opClass === 'health');
      expect(health.map((t) => t.state)).toEqual(['closed', 'open', 'half-open', 'open', 'half-open', 'closed']);
      const closedAt = health[health.length - 1]!.at;
      expect(closedAt - clearedAt).withContext('recovery seen within the half-open delay of the fault clearing').toBeLessThanOrEqual(halfOpenAfterMs);
      expect(closedAt - clearedAt).withContext('issue 17.3: within 5 s').toBeLessThanOrEqual(5_000);
      expect(health[2]!.at - opened.at).withContext('no probe before the delay').toBeGreaterThanOrEqual(halfOpenAfterMs);
      expect(c.count('health')).toBe(4);
    });

    it('stops probing when the provider is closed, and does not probe when told not to', async () => {
      sim.setFaults({ down: true });
      const c = counting(sim);
      const p = withResilience(c.provider, options({ halfOpenAfterMs: 1_000 }));
      const quiet = withResilience(c.provider, options({ halfOpenAfterMs: 1_000, recoveryProbe: false }));
      for (let i = 0; i < 2; i++) await providerErrorOf(() => p.health());
      for (let i = 0; i < 2; i++) await providerErrorOf(() => quiet.health());
      await p.close();
      jasmine.clock().tick(5_000);
      await settle(() => false);
      expect(c.count('health')).toBe(4);
      expect(quiet.circuitStates.health).withContext('half-opens only on the next call').toBe('open');
    });
  });
});
