import { fanOut } from './fanout.ts';
import type { Provider } from './spi.ts';
import { smallProvider } from './testing/small-clouds.ts';

describe('fanOut', () => {
  it('returns partial results when one cloud is down and one hangs, without waiting for the hung one', async () => {
    const ok = smallProvider({ cloudId: 'ok-cloud' });
    const down = smallProvider({ cloudId: 'down-cloud' });
    const hung = smallProvider({ cloudId: 'hung-cloud' });
    down.setFaults({ down: true });
    // An hour of latency: if fan-out waited for it, this spec would time out.
    hung.setFaults({ latencyMs: 3_600_000 });
    let hungSignal: AbortSignal | undefined;
    const answer = await fanOut(
      [ok, down, hung],
      (p, signal) => {
        if (p.cloudId === 'hung-cloud') hungSignal = signal;
        return p.health({ signal });
      },
      { deadlineMs: 50, op: 'health' },
    );
    expect(answer.results.map((r) => [r.cloudId, r.value.status])).toEqual([['ok-cloud', 'ok']]);
    expect(answer.errors.map((e) => [e.cloudId, e.error.code])).toEqual([
      ['down-cloud', 'unavailable'],
      ['hung-cloud', 'timeout'],
    ]);
    expect(hungSignal?.aborted).withContext('the hung call is told to stop').toBeTrue();
  });

  it('types whatever a cloud throws, even synchronously', async () => {
    const p = smallProvider({ cloudId: 'sync-thrower' });
    const answer = await fanOut<number>(
      [p],
      () => {
        throw new Error('boom');
      },
      { deadlineMs: 1000 },
    );
    expect(answer.errors[0].error.code).toBe('internal');
    expect(answer.errors[0].error.provider).toBe('sync-thrower');
  });

  it('stops every cloud when the caller aborts', async () => {
    const clouds: Provider[] = ['a', 'b'].map((id) => {
      const p = smallProvider({ cloudId: id });
      p.setFaults({ latencyMs: 3_600_000 });
      return p;
    });
    const controller = new AbortController();
    const pending = fanOut(clouds, (p, signal) => p.capacity({ signal }), { deadlineMs: 3_600_000, signal: controller.signal });
    controller.abort();
    const answer = await pending;
    expect(answer.results).toEqual([]);
    expect(answer.errors.map((e) => e.error.code)).toEqual(['timeout', 'timeout']);
  });

  it('answers an empty federation with empty lists', async () => {
    expect(await fanOut([], async () => 1, { deadlineMs: 10 })).toEqual({ results: [], errors: [] });
  });
});
