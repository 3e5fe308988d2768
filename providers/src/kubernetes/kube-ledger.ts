/**
 * The provider's memory of its mutations by idempotency key: a replay returns the first result, the same key for
 * another request is refused, observe-by-key answers from it. Bounded: the oldest keys are forgotten first (a
 * created object carries its key's hash, so creates can still be answered after that).
 */
export interface LedgerEntry {
  /** Which operation the key was for. */
  readonly op: string;
  /** What the request was (kube-objects.ts `fingerprint`). */
  readonly fingerprint: string;
  readonly result: unknown;
}

export class MutationLedger {
  private readonly entries = new Map<string, LedgerEntry>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): LedgerEntry | undefined {
    return this.entries.get(key);
  }

  remember(key: string, entry: LedgerEntry): void {
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }
}
