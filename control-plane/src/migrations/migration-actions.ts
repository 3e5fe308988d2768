import type { AuditLog } from '../audit/audit-log.ts';
import type { ActionRegistry } from '../engine/actions.ts';
import type { FederationService } from '../federation/contract.ts';
import type { Logger } from '../logger.ts';
import type { QuotaService } from '../quotas/contract.ts';
import type { Store } from '../store/store.ts';
import { registerSolveAction } from './plan-service.ts';
import { registerRunActions } from './run-actions.ts';

/** Every workflow action of the migrations capability, registered once at start (app.ts) or by a spec's world. */
export function registerMigrationActions(actions: ActionRegistry, deps: { store: Store; federation: FederationService; quotas: () => QuotaService; audit: AuditLog; log: Logger }): void {
  registerSolveAction(actions, deps);
  registerRunActions(actions, deps);
}
