import type { Logger } from '../logger.ts';
import type { Queryable } from '../store/store.ts';
import type { AuditLog } from './audit-log.ts';

/**
 * Exports a checkpoint of the audit head at start, every `intervalMs` while the head moves, and at stop. A
 * failed export is logged and retried at the next tick: the chain itself does not depend on it.
 */
export function startAuditCheckpoints(audit: AuditLog, db: Queryable, log: Logger, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(() => audit.checkpoint(db)).catch((err: unknown) => log.warn({ err, where: audit.checkpointsAt }, 'audit checkpoint export failed; retried at the next tick'));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      tick();
      await running;
    },
  };
}
