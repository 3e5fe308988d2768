import { apiError } from '../../testing/test-helpers';
import { Loaded } from './loaded';

/** Answers the spec releases by hand, in any order. */
function server<T>() {
  const pending: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  return {
    pending,
    read: () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

describe('Loaded', () => {
  it('reads the value with a loading flag, and keeps the value while reading again', async () => {
    const s = server<string[]>();
    const loaded = new Loaded(s.read, [] as string[]);
    expect(loaded.value()).toEqual([]);

    const first = loaded.load();
    expect(loaded.loading()).toBeTrue();
    s.pending[0]!.resolve(['a']);
    expect(await first).toEqual(['a']);
    expect(loaded.value()).toEqual(['a']);
    expect(loaded.loading()).toBeFalse();

    const again = loaded.load();
    expect(loaded.value()).toEqual(['a']);
    s.pending[1]!.resolve(['a', 'b']);
    await again;
    expect(loaded.value()).toEqual(['a', 'b']);
  });

  it('reads quietly without the loading flag', async () => {
    const s = server<number>();
    const loaded = new Loaded(s.read, 0);
    const quiet = loaded.load({ quiet: true });
    expect(loaded.loading()).toBeFalse();
    s.pending[0]!.resolve(7);
    await quiet;
    expect(loaded.value()).toBe(7);
  });

  it('shows a failed read as an ApiError, keeps the value, and clears the error on the next read', async () => {
    const s = server<number>();
    const loaded = new Loaded(s.read, 0);
    const first = loaded.load();
    s.pending[0]!.resolve(3);
    await first;

    const failing = loaded.load();
    s.pending[1]!.reject(apiError('FORBIDDEN'));
    expect(await failing).toBeUndefined();
    expect(loaded.error()?.code).toBe('FORBIDDEN');
    expect(loaded.value()).toBe(3);
    expect(loaded.loading()).toBeFalse();

    const next = loaded.load();
    expect(loaded.error()).toBeNull();
    s.pending[2]!.resolve(4);
    await next;
    expect(loaded.value()).toBe(4);
  });

  it('goes back to the initial value on a failed read when asked to', async () => {
    const s = server<number | null>();
    const loaded = new Loaded(s.read, null, { clearOnError: true });
    const first = loaded.load();
    s.pending[0]!.resolve(3);
    await first;
    const failing = loaded.load();
    s.pending[1]!.reject(apiError('NOT_FOUND'));
    await failing;
    expect(loaded.value()).toBeNull();
    expect(loaded.error()?.code).toBe('NOT_FOUND');
  });

  it('drops an answer overtaken by a later read (a slow old filter never wins)', async () => {
    const s = server<string>();
    const loaded = new Loaded(s.read, '');
    const old = loaded.load();
    const fresh = loaded.load();
    s.pending[1]!.resolve('new filter');
    await fresh;
    expect(loaded.loading()).toBeFalse();
    s.pending[0]!.resolve('old filter');
    expect(await old).toBeUndefined();
    expect(loaded.value()).toBe('new filter');

    const late = loaded.load();
    const latest = loaded.load();
    s.pending[2]!.reject(apiError('INTERNAL_SERVER_ERROR'));
    await late;
    expect(loaded.error()).toBeNull();
    expect(loaded.loading()).toBeTrue();
    s.pending[3]!.resolve('latest');
    await latest;
    expect(loaded.loading()).toBeFalse();
  });
});
