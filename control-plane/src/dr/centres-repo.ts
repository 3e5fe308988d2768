/** SQL of DR centres and replication links (current reading and history). */
import type { Queryable } from '../store/store.ts';
import type { Centre, CentreRole } from './domain/centres.ts';
import type { LinkFacts } from './domain/protection.ts';

export interface LinkRow extends LinkFacts {
  readonly sourceCloud: string;
  readonly targetCloud: string;
  readonly measuredAt: string;
}

export interface LinkReading {
  readonly id: string;
  readonly sourceCloud: string;
  readonly targetCloud: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly mode: 'sync' | 'async';
  readonly state: 'healthy' | 'lagging' | 'broken';
  readonly lagSeconds: number;
  readonly measuredAt: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export const centresRepo = {
  async list(db: Queryable): Promise<Centre[]> {
    return db.query<Centre>(
      `SELECT id, cloud_id AS "cloudId", zone, role, name, name_en AS "nameEn", region FROM dr_centres ORDER BY region, role, id`,
    );
  },

  async byIds(db: Queryable, ids: readonly string[]): Promise<Map<string, Centre>> {
    const rows = await db.query<Centre>(
      `SELECT id, cloud_id AS "cloudId", zone, role, name, name_en AS "nameEn", region FROM dr_centres WHERE id = ANY($1::text[])`,
      [ids],
    );
    return new Map(rows.map((c) => [c.id, c]));
  },

  /** Makes the table say exactly `centres` for the clouds named (a zone that lost its role stops being a centre unless a group uses it). */
  async replaceForClouds(db: Queryable, cloudIds: readonly string[], centres: readonly Centre[]): Promise<void> {
    if (centres.length) {
      await db.query(
        `INSERT INTO dr_centres (id, cloud_id, zone, role, name, name_en, region, updated_at)
         SELECT c.id, c.cloud_id, c.zone, c.role, c.name, c.name_en, c.region, now()
         FROM jsonb_to_recordset($1::jsonb) AS c(id text, cloud_id text, zone text, role text, name text, name_en text, region text)
         ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role, name = EXCLUDED.name, name_en = EXCLUDED.name_en, region = EXCLUDED.region, updated_at = now()`,
        [JSON.stringify(centres.map((c) => ({ id: c.id, cloud_id: c.cloudId, zone: c.zone, role: c.role, name: c.name, name_en: c.nameEn, region: c.region })))],
      );
    }
    await db.query(
      `DELETE FROM dr_centres c WHERE c.cloud_id = ANY($1::text[]) AND NOT (c.id = ANY($2::text[]))
         AND NOT EXISTS (SELECT 1 FROM dr_protection_groups g WHERE c.id IN (g.production_centre, g.same_city_centre, g.remote_centre, g.active_centre))
         AND NOT EXISTS (SELECT 1 FROM dr_runs r WHERE c.id IN (r.source_centre, r.target_centre))`,
      [cloudIds, centres.map((c) => c.id)],
    );
  },

  // ---------------------------------------------------------------- links

  async links(db: Queryable): Promise<LinkReading[]> {
    const rows = await db.query<LinkReading & { measuredAt: Date }>(
      `SELECT id, source_cloud AS "sourceCloud", target_cloud AS "targetCloud", from_centre AS "from", to_centre AS "to", mode, state,
              lag_seconds AS "lagSeconds", measured_at AS "measuredAt" FROM dr_links ORDER BY id`,
    );
    return rows.map((r) => ({ ...r, measuredAt: iso(r.measuredAt) }));
  },

  /** Records a cloud's current links: latest reading replaced, one sample added per new measurement. */
  async recordLinks(db: Queryable, sourceCloud: string, readings: readonly LinkReading[]): Promise<void> {
    if (readings.length) {
      const json = JSON.stringify(readings.map((r) => ({
        id: r.id, source_cloud: r.sourceCloud, target_cloud: r.targetCloud, from_centre: r.from, to_centre: r.to, mode: r.mode, state: r.state, lag_seconds: r.lagSeconds, measured_at: r.measuredAt,
      })));
      await db.query(
        `INSERT INTO dr_links (id, source_cloud, target_cloud, from_centre, to_centre, mode, state, lag_seconds, measured_at, updated_at)
         SELECT l.id, l.source_cloud, l.target_cloud, l.from_centre, l.to_centre, l.mode, l.state, l.lag_seconds, l.measured_at, now()
         FROM jsonb_to_recordset($1::jsonb) AS l(id text, source_cloud text, target_cloud text, from_centre text, to_centre text, mode text, state text, lag_seconds double precision, measured_at timestamptz)
         ON CONFLICT (id) DO UPDATE SET source_cloud = EXCLUDED.source_cloud, target_cloud = EXCLUDED.target_cloud, from_centre = EXCLUDED.from_centre,
           to_centre = EXCLUDED.to_centre, mode = EXCLUDED.mode, state = EXCLUDED.state, lag_seconds = EXCLUDED.lag_seconds, measured_at = EXCLUDED.measured_at, updated_at = now()`,
        [json],
      );
      await db.query(
        `INSERT INTO dr_link_samples (link_id, measured_at, state, lag_seconds)
         SELECT l.id, l.measured_at, l.state, l.lag_seconds FROM jsonb_to_recordset($1::jsonb) AS l(id text, measured_at timestamptz, state text, lag_seconds double precision)
         ON CONFLICT DO NOTHING`,
        [json],
      );
    }
    // A link the cloud no longer reports is gone; its history goes with it.
    await db.query('DELETE FROM dr_links WHERE source_cloud = $1 AND NOT (id = ANY($2::text[]))', [sourceCloud, readings.map((r) => r.id)]);
  },

  async history(db: Queryable, linkId: string, opts: { since?: string; limit: number }): Promise<{ measuredAt: string; state: string; lagSeconds: number }[]> {
    const rows = await db.query<{ measuredAt: Date; state: string; lagSeconds: number }>(
      `SELECT measured_at AS "measuredAt", state, lag_seconds AS "lagSeconds" FROM dr_link_samples
       WHERE link_id = $1 AND measured_at >= COALESCE($2::timestamptz, '-infinity') ORDER BY measured_at DESC LIMIT $3`,
      [linkId, opts.since ?? null, opts.limit],
    );
    return rows.map((r) => ({ ...r, measuredAt: iso(r.measuredAt) }));
  },

  /** Links as the domain rules see them (between centres); links whose ends map to no centre are left out. */
  async linkFacts(db: Queryable): Promise<LinkFacts[]> {
    return (await this.links(db)).filter((l) => l.from !== null && l.to !== null).map((l) => ({
      id: l.id, from: l.from!, to: l.to!, mode: l.mode, state: l.state, lagSeconds: l.lagSeconds,
      ...(l.mode === 'async' ? { nominalLagSeconds: Math.max(1, Math.ceil(l.lagSeconds)) } : {}),
    }));
  },
};

export type { CentreRole };
