/**
 * Database connections of SQL probes (issue 11.3). A plan's SQL check names a connection by id; the DSN,
 * password included, is sealed at rest and opened only by the probe that runs the check. What is shown is the
 * target without credentials (`host:port/database`). Engines: PostgreSQL and what speaks its protocol with
 * password authentication (KingbaseES in PostgreSQL mode, for instance). The query itself runs in sql-probe.ts.
 */
import { z } from 'zod';
import type { SealingService } from '../secrets/sealing.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';

export const probeConnectionIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, such as hr-core-db');

/** A PostgreSQL URL: credentials are allowed here (and only here: the field is write-only and sealed). */
export const dsnSchema = z.string().min(1).max(1000).refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '' && u.pathname.length > 1;
  } catch {
    return false;
  }
}, 'a PostgreSQL URL: postgresql://user:password@host:5432/database');

export interface ProbeConnection {
  readonly id: string;
  readonly name: string;
  readonly engine: 'postgresql';
  readonly target: string;
  readonly createdAt: string;
}

const sealContext = (id: string) => `dr-probe-connection:${id}`;

/** host:port/database, never the user or password. */
export function targetOf(dsn: string): string {
  const u = new URL(dsn);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

export const probeConnectionsRepo = {
  async list(db: Queryable): Promise<ProbeConnection[]> {
    return (await db.query<ProbeConnection & { createdAt: Date }>(
      `SELECT id, name, engine, target, created_at AS "createdAt" FROM dr_probe_connections ORDER BY id`)).map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
  },

  async create(db: Queryable, sealing: SealingService, input: { id: string; name: string; dsn: string; createdBy: string }): Promise<ProbeConnection> {
    const [taken] = await db.query('SELECT 1 FROM dr_probe_connections WHERE id = $1', [input.id]);
    if (taken) throw new ConflictError(`a probe connection ${input.id} exists`, 'id');
    await db.query(
      'INSERT INTO dr_probe_connections (id, name, engine, target, sealed_dsn, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
      [input.id, input.name, 'postgresql', targetOf(input.dsn), sealing.seal(input.dsn, sealContext(input.id)), input.createdBy],
    );
    return (await this.list(db)).find((c) => c.id === input.id)!;
  },

  async delete(db: Queryable, id: string): Promise<void> {
    const used = await db.query<{ name: string }>(
      `SELECT DISTINCT p.name FROM dr_plans p JOIN dr_plan_versions v ON v.plan_id = p.id AND v.version = p.latest_version
       WHERE EXISTS (
         SELECT 1 FROM jsonb_array_elements(v.content->'steps') s, jsonb_array_elements(coalesce(s->'checks', '[]'::jsonb)) c
         WHERE c->>'type' = 'sql' AND c->>'connection' = $1)`, [id]);
    if (used.length) throw new ConflictError(`plans still probe through it: ${used.map((u) => u.name).join(', ')}`, 'id');
    const gone = await db.query('DELETE FROM dr_probe_connections WHERE id = $1 RETURNING id', [id]);
    if (!gone.length) throw new NotFoundError('probe connection not found');
  },

  /** Ids that exist, of those asked about (plan checks). */
  async existing(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    return new Set((await db.query<{ id: string }>('SELECT id FROM dr_probe_connections WHERE id = ANY($1::text[])', [ids])).map((r) => r.id));
  },

  async openDsn(db: Queryable, sealing: SealingService, id: string): Promise<string | null> {
    const [row] = await db.query<{ sealed: string }>('SELECT sealed_dsn AS sealed FROM dr_probe_connections WHERE id = $1', [id]);
    return row ? sealing.open(row.sealed, sealContext(id)) : null;
  },
};
