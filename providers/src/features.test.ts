import { ProviderError } from './errors.ts';
import type { ProviderFeatures } from './features.ts';
import { withResilience, type ResilienceOptions } from './resilience.ts';
import { smallProvider } from './testing/small-clouds.ts';
import type { Provider } from './spi.ts';
import type { ProbeResult } from './ssh/types.ts';

const STRICT: Partial<ResilienceOptions> = { timeoutMs: 50, maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1, breakerThreshold: 2, halfOpenAfterMs: 60_000 };
const REACHED: ProbeResult = { target: '10.0.0.1', family: 4, transmitted: 1, received: 1, lossPercent: 0, reachable: true, rttMs: { min: 1, avg: 1, max: 1 } };

/** A simulated cloud that also declares device-style features, answering as `answer` says. */
function withFeatures(answer: () => Promise<ProbeResult>, evicted: string[]): Provider {
  const sim = smallProvider();
  const features: ProviderFeatures = {
    probe: { probe: () => answer() },
    clusterNodes: { nodes: async () => [] },
    hostKeys: { host: '127.0.0.1', port: 22, evict: () => void evicted.push('evicted') },
  };
  return new Proxy(sim, { get: (t, k) => (k === 'features' ? features : Reflect.get(t, k, t)) as unknown });
}

describe('optional capabilities (features) through the resilient wrapper', () => {
  it('wraps the call-shaped features in the cloud policies: one attempt, the caller deadline, the breaker of their class, the metrics hook', async () => {
    const calls: string[] = [];
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new ProviderError({ provider: 'small', op: 'probe', code: 'unavailable', message: 'device gone' }));
    };
    const p = withResilience(withFeatures(failing, []), { ...STRICT, onCall: (_c, op, outcome) => calls.push(`${op}:${outcome}`) });
    for (let i = 0; i < 2; i++) await expectAsync(p.features!.probe!.probe({ target: '10.0.0.1' })).toBeRejectedWith(jasmine.objectContaining({ code: 'unavailable' }));
    expect(attempts).withContext('a probe is not retried').toBe(2);
    const refused = await p.features!.probe!.probe({ target: '10.0.0.1' }).catch((e: unknown) => e as ProviderError);
    expect([(refused as ProviderError).reason, attempts]).toEqual(['circuit-open', 2]);
    expect(p.circuitStates.read).toBe('open');
    expect(p.circuitStates.inventory).withContext('other classes keep serving').toBe('closed');
    expect(calls).toEqual(['probe:unavailable', 'probe:unavailable', 'probe:circuit-open']);
    await p.close();
  });

  it('bounds a feature call by the caller deadline, not the per-attempt timeout', async () => {
    const slow = () => new Promise<ProbeResult>((resolve) => setTimeout(() => resolve(REACHED), 120));
    const p = withResilience(withFeatures(slow, []), STRICT);
    expect((await p.features!.probe!.probe({ target: '10.0.0.1' }, { signal: AbortSignal.timeout(5_000) })).reachable).toBeTrue();
    await p.close();
  });

  it('passes host-key sessions through, and a provider without features has none', async () => {
    const evicted: string[] = [];
    const p = withResilience(withFeatures(() => Promise.resolve(REACHED), evicted), STRICT);
    p.features!.hostKeys!.evict();
    expect([evicted, p.features!.hostKeys!.port, p.features!.deviceInventory]).toEqual([['evicted'], 22, undefined]);
    const plain = withResilience(smallProvider(), STRICT);
    expect([plain.features?.probe, plain.features?.clusterNodes, plain.features?.simulation?.cloudId]).toEqual([undefined, undefined, plain.cloudId]);
    await Promise.all([p.close(), plain.close()]);
  });
});
