import type { Queryable } from './store.ts';

/**
 * Runs `work` inside the caller's transaction under a savepoint: on failure only the work is rolled back and the
 * transaction goes on. The failure is returned, not thrown; a failing rollback to the savepoint is thrown.
 */
export async function underSavepoint<T>(tx: Queryable, name: string, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const value = await work();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return { ok: true, value };
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return { ok: false, error };
  }
}
