import type { Queryable } from './store.ts';

/**
 * Transaction-scoped advisory locks: one place that names every key, so two features never share one by accident.
 * Each serialises a start-up or daily job across replicas; the lock ends with the transaction.
 */
export const LOCKS = {
  migrations: 726_400_101,
  adminBootstrap: 726_400_102,
  cloudRegistry: 726_400_301,
  extranetDemo: 726_400_701,
  reachabilitySnapshot: 726_400_702,
} as const;

export type LockName = keyof typeof LOCKS;

/** Waits for the named lock inside the caller's transaction (PostgreSQL; PGlite has one connection and takes it at once). */
export async function lockForTransaction(tx: Queryable, name: LockName): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCKS[name]]);
}
