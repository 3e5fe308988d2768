/**
 * Faults a simulated cloud can be switched into at run time. The injector only decides
 * (from a seeded PRNG, so a run's faults are reproducible); whoever exposes the cloud
 * turns a decision into the failure its transport would really show: a thrown
 * ProviderError in-process, a dropped socket / 429 / 503 / junk body on the wire.
 */
import type { ProviderOp } from '../spi.ts';
import type { DrOperation } from '../dr.ts';
import { Prng } from './prng.ts';

export interface FaultSettings {
  /** Unreachable: in-process a refused connection, on the wire a dropped socket. */
  readonly down?: boolean;
  /** Added latency per call, in ms ("slow"). */
  readonly latencyMs?: number;
  /** Share of calls failing with a transient server error (503, retryable). */
  readonly errorRate?: number;
  /** Share of calls throttled (429, retryable after `retryAfterMs`). */
  readonly throttleRate?: number;
  readonly retryAfterMs?: number;
  /** Share of calls answered with an unparseable body. */
  readonly garbageRate?: number;
  /** Share of mutations applied whose answer is lost (the caller sees a timeout). */
  readonly lostResponseRate?: number;
  /** Fails page `page` of inventory listings, `times` times (default 1), then recovers. */
  readonly failPage?: { readonly page: number; readonly times?: number };
  /** Restricts the faults above to these operations (default: all). */
  readonly ops?: readonly (ProviderOp | DrOperation)[];
}

export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'down' }
  | { readonly kind: 'throttle'; readonly retryAfterMs: number }
  | { readonly kind: 'error' }
  | { readonly kind: 'garbage' }
  | { readonly kind: 'fail-page'; readonly page: number };

const MUTATIONS: ReadonlySet<string> = new Set([
  'createTenantSpace',
  'updateTenantSpace',
  'deleteTenantSpace',
  'createResource',
  'updateResource',
  'deleteResource',
]);

export function faultSettingsProblems(f: FaultSettings): string[] {
  const problems: string[] = [];
  for (const k of ['errorRate', 'throttleRate', 'garbageRate', 'lostResponseRate'] as const) {
    const v = f[k];
    if (v !== undefined && !(v >= 0 && v <= 1)) problems.push(`${k} must be within [0, 1]`);
  }
  for (const k of ['latencyMs', 'retryAfterMs'] as const) {
    const v = f[k];
    if (v !== undefined && !(v >= 0)) problems.push(`${k} must be >= 0`);
  }
  if (f.failPage !== undefined && !(Number.isInteger(f.failPage.page) && f.failPage.page >= 1)) {
    problems.push('failPage.page must be an integer >= 1');
  }
  return problems;
}

export class FaultInjector {
  private settings: FaultSettings = {};
  private failPageLeft = 0;
  private readonly rng: Prng;

  constructor(seed: number) {
    this.rng = new Prng(seed);
  }

  get current(): FaultSettings {
    return this.settings;
  }

  /** Replaces all faults; `{}` heals the cloud. */
  set(settings: FaultSettings): void {
    const problems = faultSettingsProblems(settings);
    if (problems.length > 0) throw new RangeError(`bad fault settings: ${problems.join('; ')}`);
    this.settings = structuredClone(settings);
    this.failPageLeft = settings.failPage === undefined ? 0 : (settings.failPage.times ?? 1);
  }

  private applies(op: string): boolean {
    return this.settings.ops === undefined || (this.settings.ops as readonly string[]).includes(op);
  }

  latencyFor(op: string): number {
    return this.applies(op) ? (this.settings.latencyMs ?? 0) : 0;
  }

  /** Whether the answer to a DR operation that was applied gets lost (they are all mutations). */
  losesDrResponse(op: DrOperation): boolean {
    return this.applies(op) && this.roll(this.settings.lostResponseRate);
  }

  /** What goes wrong before the cloud acts. `page`: page number of an inventory request. */
  before(op: string, page?: number): FaultDecision {
    if (!this.applies(op)) return { kind: 'none' };
    const s = this.settings;
    if (s.down === true) return { kind: 'down' };
    if (page !== undefined && s.failPage?.page === page && this.failPageLeft > 0) {
      this.failPageLeft--;
      return { kind: 'fail-page', page };
    }
    if (this.roll(s.throttleRate)) return { kind: 'throttle', retryAfterMs: s.retryAfterMs ?? 1000 };
    if (this.roll(s.errorRate)) return { kind: 'error' };
    if (this.roll(s.garbageRate)) return { kind: 'garbage' };
    return { kind: 'none' };
  }

  /** Whether the answer to a mutation that was applied gets lost on the way back. */
  losesResponse(op: string): boolean {
    return this.applies(op) && MUTATIONS.has(op) && this.roll(this.settings.lostResponseRate);
  }

  private roll(rate: number | undefined): boolean {
    // Rates of 0 and 1 do not draw, so switching them on and off keeps runs comparable.
    if (rate === undefined || rate <= 0) return false;
    if (rate >= 1) return true;
    return this.rng.chance(rate);
  }
}
