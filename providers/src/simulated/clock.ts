/**
 * The simulator's clock. Lifecycle transitions (pending → running, deleting → gone) fall
 * due on this clock; tests freeze it and `advance()` it instead of sleeping, and the sim
 * server exposes `advance` as an admin hook so remote tests can do the same.
 */
export class SimClock {
  private offsetMs = 0;
  private readonly base: () => number;

  /** `frozenAt` stops real time: `now()` moves only through `advance()`. */
  constructor(opts: { frozenAt?: number } = {}) {
    const frozen = opts.frozenAt;
    this.base = frozen === undefined ? () => Date.now() : () => frozen;
  }

  now(): number {
    return this.base() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot move the clock by ${ms} ms`);
    this.offsetMs += ms;
  }

  private lastIso: [number, string] = [NaN, ''];

  /** now() as ISO text; memoised because bulk operations ask many times per millisecond. */
  iso(): string {
    const now = this.now();
    if (this.lastIso[0] !== now) this.lastIso = [now, new Date(now).toISOString()];
    return this.lastIso[1];
  }
}
