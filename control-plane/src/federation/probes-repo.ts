import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf } from '../store/scope-filter.ts';
import type { Queryable } from '../store/store.ts';
import type { ProbeRecord } from './probes.ts';

interface ProbeRow {
  id: string; cloudId: string; target: string; family: 4 | 6; vpnInstance: string | null; count: number; outcome: ProbeRecord['outcome'];
  transmitted: number | null; received: number | null; lossPercent: number | null; rttMin: number | null; rttAvg: number | null; rttMax: number | null;
  errorCode: string | null; error: string | null; requestedBy: string | null; startedAt: Date; finishedAt: Date;
}

const PROBE_ORDER = keysetOrder('desc', ['finished_at', 'timestamptz'], ['id', 'uuid']);

export const probesRepo = {
  async insert(db: Queryable, r: ProbeRecord): Promise<void> {
    await db.query(
      `INSERT INTO probe_results (id, cloud_id, target, family, vpn_instance, count, outcome, transmitted, received, loss_percent,
         rtt_min_ms, rtt_avg_ms, rtt_max_ms, error_code, error, requested_by, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [r.id, r.cloudId, r.target, r.family, r.vpnInstance, r.count, r.outcome, r.transmitted, r.received, r.lossPercent,
        r.rttMs?.min ?? null, r.rttMs?.avg ?? null, r.rttMs?.max ?? null, r.errorCode, r.error, r.requestedBy, r.startedAt, r.finishedAt],
    );
  },

  /** A page of probes, newest first (migration 0258's indexes), of one device or target when asked. */
  async history(db: Queryable, filter: { cloudId?: string; target?: string }, page: PageRequest): Promise<Page<ProbeRecord>> {
    const params: unknown[] = [];
    const cloud = filter.cloudId ? `cloud_id = $${params.push(filter.cloudId)}` : null;
    const target = filter.target ? `target = $${params.push(filter.target)}` : null;
    const k = keyset(PROBE_ORDER, page, params);
    const { items, nextCursor } = k.page(await db.query<ProbeRow>(
      `SELECT id, cloud_id AS "cloudId", target, family, vpn_instance AS "vpnInstance", count, outcome, transmitted, received,
              loss_percent AS "lossPercent", rtt_min_ms AS "rttMin", rtt_avg_ms AS "rttAvg", rtt_max_ms AS "rttMax",
              error_code AS "errorCode", error, requested_by AS "requestedBy", started_at AS "startedAt", finished_at AS "finishedAt"${k.select}
         FROM probe_results WHERE ${allOf(cloud, target, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`,
      params,
    ));
    return { nextCursor, items: items.map((r) => ({
      id: r.id, cloudId: r.cloudId, target: r.target, family: r.family, vpnInstance: r.vpnInstance, count: r.count, outcome: r.outcome,
      transmitted: r.transmitted, received: r.received, lossPercent: r.lossPercent,
      rttMs: r.rttMin !== null && r.rttAvg !== null && r.rttMax !== null ? { min: r.rttMin, avg: r.rttAvg, max: r.rttMax } : null,
      errorCode: r.errorCode, error: r.error, requestedBy: r.requestedBy,
      startedAt: new Date(r.startedAt).toISOString(), finishedAt: new Date(r.finishedAt).toISOString(),
    })) };
  },
};
