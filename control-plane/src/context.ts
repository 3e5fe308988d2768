import type { AuditLog } from './audit/audit-log.ts';
import type { ActionRegistry } from './engine/actions.ts';
import type { WorkflowEngine } from './engine/engine.ts';
import type { FederationService } from './federation/contract.ts';
import type { CallerCache } from './auth/caller-cache.ts';
import type { CloudSummaries } from './federation/cloud-summaries.ts';
import type { Role } from './auth/roles.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { QuotaService } from './quotas/contract.ts';
import type { QuotaRuntime } from './quotas/quotas-module.ts';
import type { SealingService } from './secrets/sealing.ts';
import type { Queryable, Store } from './store/store.ts';

/** Everything a request may use, built once at start (main.ts) or per test (testing/harness.ts). */
export interface AppDeps {
  store: Store;
  audit: AuditLog;
  sealing: SealingService;
  metrics: Metrics;
  log: Logger;
  /** Workflow actions (registered by each capability at start) and the engine that starts and steers workflows. */
  actions: ActionRegistry;
  engine: WorkflowEngine;
  /** The federated clouds: live providers, health, capacity fan-out, inventory sync. */
  federation: FederationService;
  /** Hierarchical quotas (the QuotaService contract and more); the reservation batcher and expiry reaper of this process. */
  quotas: QuotaService;
  quotaRuntime: QuotaRuntime;
  /** Callers and scopes resolved from tokens, cleared on every identity change (auth/caller-cache.ts). */
  callers: CallerCache;
  /** What clouds.list shows, kept per process until a change of it is heard (federation/cloud-summaries.ts). */
  cloudSummaries: CloudSummaries;
  version: string;
  settings: {
    tokenTtlMinutes: number;
    lockoutThreshold: number;
    lockoutMinutes: number;
    /** Failed sign-ins from one source address within `lockoutMinutes` before the address is locked. */
    sourceLockoutThreshold: number;
  };
}

/** Who is calling, resolved from the bearer token. */
export interface Caller {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  departmentId: string | null;
  departmentName: string | null;
  tokenId: string;
  tokenKind: 'session' | 'api';
  mustChangePassword: boolean;
}

/** What a mutation tells the audit trail about itself; filled in by the procedure. */
export interface AuditNote {
  target?: string;
  before?: unknown;
  after?: unknown;
  /** Overrides the actor for procedures called without a token (login names the user it tried). */
  actor?: string;
}

/** One per request (or per direct call): middlewares record per-request state on it. */
export interface Context {
  deps: AppDeps;
  requestId: string;
  log: Logger;
  /** The bearer token as sent, or null. Resolved into `caller` by the auth middleware. */
  token: string | null;
  /** The caller's network address (HTTP only; null for in-process callers): login throttling and audit rate limits. */
  source: string | null;
  /** Queries read through the store; mutations get their transaction here (trpc.ts). */
  db: Queryable;
  audit: AuditNote;
}

/** Testable context factory: no HTTP involved. */
export function createContextInner(deps: AppDeps, opts: { token?: string | null; requestId: string; source?: string | null }): Context {
  return {
    deps,
    requestId: opts.requestId,
    log: deps.log.child({ requestId: opts.requestId }),
    token: opts.token ?? null,
    source: opts.source ?? null,
    db: deps.store,
    audit: {},
  };
}
