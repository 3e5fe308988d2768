import type { AppDeps } from '../context.ts';

/**
 * Security-relevant events that belong in the audit chain although no procedure succeeded or was refused on
 * its own account: an account or a source address locked after failed sign-ins, a refused token that belonged
 * to a real account (issue 19.7). Each source address may add at most EVENTS_PER_MINUTE of them a minute, so a
 * flood from one address neither fills the chain nor holds its head lock; the excess is counted
 * (`ganyun_security_events_suppressed_total`) and sampled into the log.
 */
const EVENTS_PER_MINUTE = 10;
const WINDOW_MS = 60_000;
const MAX_SOURCES = 10_000;

export interface SecurityEvent {
  /** What happened, named like a procedure so the audit list filters it: `auth.lockout`, `auth.tokenRefused`. */
  event: string;
  actorId: string | null;
  actor: string | null;
  target: string | null;
  requestId: string;
  /** The caller's address (null in process: never limited). */
  source: string | null;
  detail: string;
  after?: unknown;
}

export class SecurityEventLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when `source` may add one more event now. */
  take(source: string | null): boolean {
    if (source === null) return true;
    const t = this.now();
    let w = this.windows.get(source);
    if (!w || t - w.start >= WINDOW_MS) {
      if (!w && this.windows.size >= MAX_SOURCES) this.windows.delete(this.windows.keys().next().value!);
      w = { start: t, count: 0 };
      this.windows.set(source, w);
    }
    w.count++;
    return w.count <= EVENTS_PER_MINUTE;
  }
}

const limiters = new WeakMap<AppDeps, SecurityEventLimiter>();

/** Appends the event to the chain in its own transaction (it must survive the refused call's rollback). */
export async function recordSecurityEvent(deps: AppDeps, e: SecurityEvent): Promise<void> {
  let limiter = limiters.get(deps);
  if (!limiter) limiters.set(deps, (limiter = new SecurityEventLimiter()));
  if (!limiter.take(e.source)) {
    deps.metrics.securityEventsSuppressed.inc({ event: e.event });
    return;
  }
  try {
    const record = await deps.store.transaction((tx) => deps.audit.append(tx, {
      actorId: e.actorId, actor: e.actor, role: null, procedure: e.event, target: e.target, outcome: 'denied',
      before: null, after: e.after ?? null, requestId: e.requestId, error: e.detail.slice(0, 500),
    }));
    deps.audit.published([record]);
  } catch (error) {
    deps.log.error({ err: error, event: e.event }, 'could not append a security event to the audit trail');
  }
}
