import { loadDivisions, type Division } from '../domain/divisions.ts';
import type { Store } from './store.ts';

/** Loads the division table once (idempotent: existing codes are left alone). Parents come first in the file. */
export async function seedDivisions(store: Store, divisions?: Division[]): Promise<number> {
  const [{ n }] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM divisions');
  const all = divisions ?? (await loadDivisions());
  if (n >= all.length) return 0;
  await store.query(
    `INSERT INTO divisions (code, name, level, parent_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (code) DO NOTHING`,
    [all.map((d) => d.code), all.map((d) => d.name), all.map((d) => d.level), all.map((d) => d.parentCode)],
  );
  return all.length - n;
}
