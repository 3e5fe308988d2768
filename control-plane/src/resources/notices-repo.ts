import { newId } from '../ids.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';

const NOTICE_ORDER = keysetOrder('desc', ['n.created_at', 'timestamptz'], ['n.id', 'uuid']);

export interface ResourceNotice {
  id: string;
  kind: 'expiry';
  resourceId: string;
  resourceName: string;
  resourceKind: string;
  systemId: string;
  systemName: string;
  dueAt: Date;
  createdAt: Date;
  readAt: Date | null;
}

/** Notices to people about their resources (migration 0130): written by the expiry sweep, read by their owners only. */
export const noticesRepo = {
  /**
   * An end-date notice for each resource's owners: the requester of the request that created it and the system's
   * owner (once when they are the same person). Idempotent per person, resource and end date.
   */
  async addExpiry(db: Queryable, resourceIds: readonly string[]): Promise<number> {
    if (!resourceIds.length) return 0;
    const owners = await db.query<{ resourceId: string; userId: string; dueAt: Date }>(
      `SELECT DISTINCT r.id AS "resourceId", u.user_id AS "userId", r.expires_at AS "dueAt"
         FROM resources r JOIN resource_requests q ON q.id = r.request_id JOIN business_systems s ON s.id = r.system_id
         CROSS JOIN LATERAL (VALUES (q.requester_id), (s.owner_user_id)) AS u(user_id)
        WHERE r.id = ANY($1::uuid[]) AND u.user_id IS NOT NULL AND r.expires_at IS NOT NULL`, [resourceIds]);
    let added = 0;
    for (const o of owners) {
      const rows = await db.query(
        `INSERT INTO resource_notices (id, user_id, resource_id, kind, due_at) VALUES ($1, $2, $3, 'expiry', $4) ON CONFLICT DO NOTHING RETURNING id`,
        [newId(), o.userId, o.resourceId, o.dueAt]);
      added += rows.length;
    }
    return added;
  },

  /** A page of the person's notices, newest first (resource_notices_user_idx); unread only when asked. */
  async ofUser(db: Queryable, userId: string, f: { unreadOnly: boolean }, page: PageRequest): Promise<Page<ResourceNotice>> {
    const params: unknown[] = [userId];
    const k = keyset(NOTICE_ORDER, page, params);
    return k.page(await db.query<ResourceNotice>(
      `SELECT n.id, n.kind, n.resource_id AS "resourceId", r.name AS "resourceName", r.kind AS "resourceKind", r.system_id AS "systemId",
              s.name AS "systemName", n.due_at AS "dueAt", n.created_at AS "createdAt", n.read_at AS "readAt"${k.select}
         FROM resource_notices n JOIN resources r ON r.id = n.resource_id JOIN business_systems s ON s.id = r.system_id
        WHERE ${allOf('n.user_id = $1', f.unreadOnly ? 'n.read_at IS NULL' : null, k.after)}
        ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
  },

  /** Marks one of the person's own notices read; false when it is not theirs (or does not exist). */
  async markRead(db: Queryable, userId: string, id: string, at: Date): Promise<boolean> {
    const rows = await db.query(`UPDATE resource_notices SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING id`, [id, userId, at]);
    return rows.length > 0;
  },
};
