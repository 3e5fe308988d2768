import type { AuditLog } from './audit/audit-log.ts';
import { CallerCache } from './auth/caller-cache.ts';
import type { AppDeps } from './context.ts';
import { ActionRegistry } from './engine/actions.ts';
import { WorkflowEngine } from './engine/engine.ts';
import { registerCloudActions } from './federation/cloud-actions.ts';
import { CloudSummaries } from './federation/cloud-summaries.ts';
import { Federation, type FederationOptions } from './federation/federation.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { registerMigrationActions } from './migrations/migration-actions.ts';
import { extranetAddressHook } from './extranet/system-addresses.ts';
import { registerOnboardingActions } from './onboarding/onboarding-actions.ts';
import { createQuotas } from './quotas/quotas-module.ts';
import { registerRequestActions } from './requests/provisioning.ts';
import { registerChangeActions } from './resources/change-actions.ts';
import { registerResourceActions } from './resources/provision-actions.ts';
import type { SealingService } from './secrets/sealing.ts';
import type { Store } from './store/store.ts';

/** What only the caller can decide: the store it opened, its keys, its log, and its timings. */
export interface AppDepsParts {
  store: Store;
  /** A store of its own for the quota group commit (PostgreSQL: two dedicated connections); defaults to `store`. */
  batchStore?: Store;
  audit: AuditLog;
  sealing: SealingService;
  metrics: Metrics;
  log: Logger;
  version: string;
  settings: AppDeps['settings'];
  /** How long a resolved caller stays cached; 0 turns the cache off. */
  callerCacheMs: number;
  federation?: Partial<FederationOptions>;
  /** Called when the engine has new work; the runner (built after the deps) hooks in here. */
  wake?: () => void;
}

/**
 * The one place that builds the application's services from their parts: the server (app.ts), the spec harness
 * (testing/harness.ts) and the benches get the same wiring, so a service added here exists everywhere.
 */
export function createAppDeps(parts: AppDepsParts): AppDeps {
  const { store, batchStore, audit, sealing, metrics, log } = parts;
  const actions = new ActionRegistry();
  const wake = parts.wake ?? (() => undefined);
  return {
    store,
    audit,
    sealing,
    metrics,
    log,
    actions,
    engine: new WorkflowEngine(actions, () => wake()),
    // The federation audits host-key alarms (SSH-managed clouds) itself.
    federation: new Federation({ store, sealing, metrics, log, audit }, parts.federation ?? {}),
    ...createQuotas({ store, audit, log, registry: metrics.registry, batchStore }),
    callers: new CallerCache(parts.callerCacheMs),
    cloudSummaries: new CloudSummaries(store),
    version: parts.version,
    settings: parts.settings,
  };
}

/** Every capability's workflow steps, registered once at start (specs register only what they drive). */
export function registerWorkflowActions(deps: AppDeps): void {
  const { actions, store, federation, audit, log } = deps;
  const quotas = () => deps.quotas;
  registerCloudActions(actions, federation, store);
  registerOnboardingActions(actions, { store, quotas, audit }, { extranet: extranetAddressHook(store) });
  registerRequestActions(actions, { store, federation, quotas, audit });
  registerResourceActions(actions, { store, federation });
  registerChangeActions(actions, { store, federation, quotas, audit });
  registerMigrationActions(actions, { store, federation, quotas, audit, log });
}
