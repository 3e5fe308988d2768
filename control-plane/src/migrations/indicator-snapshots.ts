import type { Queryable, Store } from '../store/store.ts';
import { startDailyJob } from '../daily-job.ts';
import { computeIndicators } from './indicators.ts';
import { indicatorsRepo } from './indicators-repo.ts';

/**
 * The province's daily indicator snapshot (issue 12.7): today's figures computed from the systems and written
 * for the day, replacing the day's earlier rows, so taking it twice (the daily job on two replicas, an operator
 * on demand) leaves one set of rows per day.
 */
export async function takeIndicatorSnapshot(db: Queryable, day?: string) {
  const rows = computeIndicators(await indicatorsRepo.inputs(db));
  const on = day ?? (await indicatorsRepo.today(db));
  await indicatorsRepo.upsertDay(db, on, rows);
  return { day: on, rows: rows.length };
}

/** Takes the day's snapshot when there is none yet; checked hourly so a long-running server keeps one per day. */
export function startIndicatorSnapshots(store: Store, log: { warn(o: object, m: string): void }, everyMs = 3_600_000): { stop(): void; tick(): Promise<void> } {
  return startDailyJob(store, log, 'migration indicators daily snapshot failed', async (tx) => {
    if (await indicatorsRepo.hasDay(tx, await indicatorsRepo.today(tx))) return;
    await takeIndicatorSnapshot(tx);
  }, everyMs);
}

/** The monthly report's CSV: one line per day and scope, shares as percentages with one decimal. */
export function indicatorsCsv(rows: readonly { day: string; scope: string; code: string; name: string; systems: number; onCloud: number; onXinchuang: number }[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    // Quoted when needed; a leading formula character is neutralised so a spreadsheet does not run it.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const pct = (n: number, of: number) => (of ? ((100 * n) / of).toFixed(1) : '0.0');
  const head = ['日期 day', '范围 scope', '代码 code', '名称 name', '系统数 systems', '上云数 on cloud', '上云率 on-cloud %', '信创数 on Xinchuang', '信创率 Xinchuang %'];
  const lines = rows.map((r) => [r.day, r.scope, r.code, r.name, r.systems, r.onCloud, pct(r.onCloud, r.systems), r.onXinchuang, pct(r.onXinchuang, r.systems)].map(cell).join(','));
  // A byte-order mark so Excel opens the Chinese text as UTF-8.
  return `\uFEFF${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
