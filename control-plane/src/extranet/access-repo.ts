import type { Scope } from '../auth/scope.ts';
import { newId } from '../ids.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { Hop, SystemRef } from './access-check.ts';
import type { Family } from './inventory-repo.ts';

/** SQL of the access-check tool: the systems it checks towards, and the checks it stores (extranet_checks). */

export interface StoredCheck {
  id: string;
  unitCode: string;
  systemId: string | null;
  planeId: string;
  family: Family;
  source: 'inventory' | 'live';
  ok: boolean;
  reason: string | null;
  target: string | null;
  rttMs: number | null;
  lossPercent: number | null;
  at: string;
}

export const checksRepo = {
  async insert(db: Queryable, c: Omit<StoredCheck, 'id' | 'at'> & { path: Hop[]; at: Date }): Promise<string> {
    const id = newId();
    await db.query(
      `INSERT INTO extranet_checks (id, unit_code, system_id, plane_id, family, source, ok, reason, target, rtt_ms, loss_percent, path, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)`,
      [id, c.unitCode, c.systemId, c.planeId, c.family, c.source, c.ok, c.reason, c.target, c.rttMs, c.lossPercent, JSON.stringify(c.path), c.at],
    );
    return id;
  },

  /** Checks of a unit (optionally towards one system), newest first; a department caller sees only checks towards its systems. */
  async history(db: Queryable, scope: Scope, f: { unitCode: string; systemId?: string; limit: number }): Promise<StoredCheck[]> {
    const params: unknown[] = [f.unitCode, f.systemId ?? null, f.limit];
    const owned = scopeFilter(scope, params, 's.department_id');
    const rows = await db.query<StoredCheck & { at: Date }>(
      `SELECT id, unit_code AS "unitCode", system_id AS "systemId", plane_id AS "planeId", family, source, ok, reason, target,
              rtt_ms AS "rttMs", loss_percent AS "lossPercent", at
       FROM extranet_checks WHERE unit_code = $1 AND ($2::uuid IS NULL OR system_id = $2)
         ${owned ? `AND system_id IN (SELECT s.id FROM business_systems s WHERE ${owned})` : ''}
       ORDER BY at DESC, id LIMIT $3`,
      params,
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  },
};

/** A VRF's route targets, as the access check compares them. */
export interface VrfRow { id: string; name: string; import_targets: string[]; export_targets: string[] }

export const accessRepo = {
  /** The unit's active address on a plane and family (IPAM), a prefix before a single address, and its VRF. */
  async unitAddress(db: Queryable, unitCode: string, planeId: string, family: Family): Promise<{ cidr: string; vrfId: string } | undefined> {
    const [addr] = await db.query<{ cidr: string; vrfId: string }>(
      `SELECT cidr::text, vrf_id AS "vrfId" FROM (
       SELECT cidr, vrf_id, 0 AS o FROM ipam_prefixes WHERE unit_code = $1 AND plane_id = $2 AND family = $3 AND status = 'active'
       UNION ALL SELECT address, vrf_id, 1 FROM ipam_addresses WHERE unit_code = $1 AND plane_id = $2 AND family = $3 AND status = 'active') x
     ORDER BY o, cidr LIMIT 1`,
      [unitCode, planeId, family],
    );
    return addr;
  },

  async vrfsByIds(db: Queryable, ids: (string | undefined | null)[]): Promise<VrfRow[]> {
    return db.query<VrfRow>('SELECT id, name, import_targets, export_targets FROM ipam_vrfs WHERE id = ANY($1::uuid[])', [ids]);
  },

  /** The business system a check points at, with its cloud (unscoped: the caller checks the department itself). */
  async system(db: Queryable, id: string): Promise<SystemRef | undefined> {
    const [system] = await db.query<SystemRef>(
      `SELECT s.id, s.name, s.department_id AS "departmentId", s.cloud_id AS "cloudId", c.name AS "cloudName"
       FROM business_systems s LEFT JOIN clouds c ON c.id = s.cloud_id WHERE s.id = $1`, [id],
    );
    return system;
  },

  /** The provider kind of the cloud behind a PE (a live probe passes a VPN instance only to network devices). */
  async cloudKind(db: Queryable, cloudId: string): Promise<string | undefined> {
    const [cloud] = await db.query<{ kind: string }>('SELECT provider_kind AS kind FROM clouds WHERE id = $1', [cloudId]);
    return cloud?.kind;
  },

  /** Systems the caller may check (its departments', or all), matching `q`, for the tool's picker. */
  async checkableSystems(db: Queryable, scope: Scope, q?: string) {
    const params: unknown[] = [q ?? null];
    return db.query<{ id: string; name: string; departmentName: string; cloudId: string | null }>(
      `SELECT s.id, s.name, d.name AS "departmentName", s.cloud_id AS "cloudId" FROM business_systems s JOIN departments d ON d.id = s.department_id
       WHERE ${allOf(scopeFilter(scope, params, 's.department_id'))} AND ($1::text IS NULL OR s.name ILIKE '%' || $1 || '%')
       ORDER BY d.name, s.name LIMIT 200`,
      params,
    );
  },
};
