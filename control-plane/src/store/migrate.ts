import { readdir, readFile } from 'node:fs/promises';
import { lockForTransaction } from './locks.ts';
import { fileURLToPath } from 'node:url';
import type { Store } from './store.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Any constant: replicas starting together take turns on this advisory lock. */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: await readFile(dir + file, 'utf8'),
    })),
  );
}

/**
 * Applies the migrations not yet applied, all in one transaction under an advisory lock taken
 * first, so that replicas starting at once neither race nor leave a half-migrated schema.
 */
export async function migrate(store: Store, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  return store.transaction(async (tx) => {
    // The lock comes before everything, our own bookkeeping table included: two sessions running
    // CREATE TABLE IF NOT EXISTS at the same instant both pass the check and one dies on a duplicate
    // catalogue row (seen in 1 of 25 two-replica starts). A start that loses the race waits here.
    await lockForTransaction(tx, 'migrations');
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const m of all) {
      if (done.has(m.version)) continue;
      // Statements run one by one through the parameterless path so multi-statement files work on both engines.
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

export async function pendingMigrations(store: Store): Promise<number> {
  const all = await loadMigrations();
  const rows = await store
    .query<{ version: number }>('SELECT version FROM schema_migrations')
    .catch(() => [] as { version: number }[]);
  const done = new Set(rows.map((r) => r.version));
  return all.filter((m) => !done.has(m.version)).length;
}

/**
 * Splits a migration on semicolons at line ends. Migrations are ours and kept simple
 * (a $$ body must not end a line with a semicolon).
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
