import type { Queryable, Store } from './store/store.ts';

/**
 * A once-a-day job checked every `everyMs` (hourly by default): each check runs `check` in its own
 * transaction, which returns early when the day's work is already done, so a long-running server does it
 * once a day and replicas may all check. A failed check is logged and retried at the next one. The first
 * check runs at once; `tick()` runs one more after it (tests and operators use it).
 * Shared by the extranet reachability snapshot and the migration indicators snapshot, which need the same
 * schedule and the same failure handling.
 */
export function startDailyJob(
  store: Store,
  log: { warn(o: object, m: string): void },
  failure: string,
  check: (tx: Queryable) => Promise<void>,
  everyMs = 3_600_000,
): { stop(): void; tick(): Promise<void> } {
  const tick = async () => {
    try {
      await store.transaction(check);
    } catch (err) {
      log.warn({ err }, failure);
    }
  };
  const first = tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick: () => first.then(tick) };
}
