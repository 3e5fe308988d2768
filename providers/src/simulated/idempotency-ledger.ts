/**
 * Remembers, per idempotency key, the request's fingerprint and its result, so that a
 * replay returns the first answer without a second effect, and a different request under
 * the same key is refused. It also counts arrivals and effects per key, which crash tests
 * use to prove that a resumed workflow did not act twice.
 */
import { ProviderError } from '../errors.ts';
import { stableStringify } from '../spec-diff.ts';

type Recorded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

interface KeyRecord {
  readonly op: string;
  readonly fingerprint: string;
  readonly result: Recorded;
}

export class IdempotencyLedger {
  private readonly records = new Map<string, KeyRecord>();
  private readonly calls = new Map<string, number>();
  private readonly effects = new Map<string, number>();
  /** Keys forgotten to bound memory: after the first, an unknown key may be one of them. */
  private forgotten = 0;

  constructor(
    private readonly cloudId: string,
    private readonly maxKeys = 200_000,
  ) {}

  /**
   * Runs `fn` once per key. `fn` reports whether it changed anything (`changed`), which
   * is what `effectsOf` counts. Errors thrown by `fn` are recorded and replayed too:
   * the same request gets the same answer.
   */
  run<T>(key: string, op: string, request: unknown, fn: () => { value: T; changed: boolean }): T {
    if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
      throw new ProviderError({ provider: this.cloudId, op, code: 'invalid', reason: 'idempotency-key', message: `${this.cloudId}: ${op}: an idempotency key of 1-200 characters is required` });
    }
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    const fingerprint = `${op} ${stableStringify(request)}`;
    const prior = this.records.get(key);
    if (prior !== undefined) {
      if (prior.fingerprint !== fingerprint) {
        throw new ProviderError({
          provider: this.cloudId,
          op,
          code: 'conflict',
          reason: 'idempotency-key-reuse',
          message: `${this.cloudId}: ${op}: idempotency key "${key}" was already used for a different request`,
        });
      }
      if (prior.result.ok) return prior.result.value as T;
      throw prior.result.error;
    }
    let result: Recorded;
    try {
      const { value, changed } = fn();
      if (changed) this.effects.set(key, (this.effects.get(key) ?? 0) + 1);
      result = { ok: true, value };
    } catch (error) {
      result = { ok: false, error };
    }
    this.remember(key, { op, fingerprint, result });
    if (result.ok) return result.value as T;
    throw result.error;
  }

  /**
   * What the call made under `key` did, for observe-by-key: its operation and recorded result, or
   * `undefined` when no call arrived. `forgotten` says whether an unknown key may have been evicted.
   */
  lookup(key: string): { op: string; result: Recorded } | { op: undefined; forgotten: boolean } {
    const rec = this.records.get(key);
    return rec === undefined ? { op: undefined, forgotten: this.forgotten > 0 } : { op: rec.op, result: rec.result };
  }

  callsOf(key: string): number {
    return this.calls.get(key) ?? 0;
  }

  effectsOf(key: string): number {
    return this.effects.get(key) ?? 0;
  }

  private remember(key: string, rec: KeyRecord): void {
    this.records.set(key, rec);
    // Bounded memory: forget the oldest keys (Map keeps insertion order).
    if (this.records.size > this.maxKeys) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) {
        this.records.delete(oldest);
        this.forgotten++;
      }
    }
  }
}
