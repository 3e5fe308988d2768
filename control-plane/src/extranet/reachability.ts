import type { Queryable, Store } from '../store/store.ts';
import { lockForTransaction } from '../store/locks.ts';
import { startDailyJob } from '../daily-job.ts';
import { coverageReport } from './coverage.ts';
import type { Family } from './inventory-repo.ts';
import { reachabilityRepo } from './reachability-repo.ts';

/** Records the latest outcome per unit, plane and family (a live probe always wins; inventory only over inventory). */
export async function recordReachability(db: Queryable, r: { unitCode: string; planeId: string; family: Family; ok: boolean; source: 'inventory' | 'live'; at: Date }) {
  await reachabilityRepo.record(db, r);
}

/**
 * Reachability from the inventory for every unit at once (set-based): a (unit, plane, family) is reachable
 * when an up link carries the family to an up PE, the unit has an address of that family on that plane,
 * and some cloud is attached (up, with a prefix of that family) to the plane. Rows are written for every
 * (unit, plane, family) with an up link; live probe results are not overwritten. Returns the rows written.
 */
export async function sweepReachability(db: Queryable, at = new Date()): Promise<number> {
  // A clean recompute of the inventory rows (live rows stay): facts grouped from one UNION ALL, no per-row lookups.
  await reachabilityRepo.deleteInventoryRows(db);
  return reachabilityRepo.insertFromInventory(db, at);
}

/** Today's (or `day`'s) figures for the province and each city, replacing any taken earlier that day. */
export async function takeSnapshot(db: Queryable, opts: { day?: string; source?: 'daily' | 'manual' | 'demo' } = {}) {
  const report = await coverageReport(db);
  // The database's date, so the daily job's check (current_date) and the row agree whatever the time zones.
  const day = await reachabilityRepo.dayOf(db, opts.day ?? null);
  const scopes = [{ code: '36', f: report.total, cells: report.cells }, ...report.byCity.filter((c) => c.code !== '36').map((c) => ({ code: c.code, f: c, cells: report.cellsByCity.filter((x) => x.code === c.code) }))];
  await reachabilityRepo.upsertSnapshots(db, day, scopes.map((s) => ({
    code: s.code, units: s.f.units, dualPlane: s.f.dualPlane, singleHomed: s.f.singleHomed, ipv6Ready: s.f.ipv6Ready,
    cells: JSON.stringify(s.cells.map(({ planeId, family, link, addr, reach, ready }) => ({ planeId, family, link, addr, reach, ready }))),
  })), opts.source ?? 'daily');
  return { day, scopes: scopes.length };
}

export async function snapshotHistory(db: Queryable, scopeCode: string, days: number) {
  return reachabilityRepo.history(db, scopeCode, days);
}

/**
 * Takes today's snapshot when there is none yet (after refreshing inventory reachability, so the day's
 * figures reflect the day's inventory); checked hourly so a long-running server keeps one per day.
 */
export function startDailySnapshots(store: Store, log: { warn(o: object, m: string): void }, everyMs = 3_600_000): { stop(): void; tick(): Promise<void> } {
  return startDailyJob(store, log, 'extranet daily snapshot failed', async (tx) => {
    // Replicas take turns; the second finds the day's snapshot taken.
    await lockForTransaction(tx, 'reachabilitySnapshot');
    if (await reachabilityRepo.hasTodaysSnapshot(tx)) return;
    await sweepReachability(tx);
    await takeSnapshot(tx);
  }, everyMs);
}
