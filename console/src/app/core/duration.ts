import type { I18nService } from './i18n/i18n.service';

/** What a duration shows while it is still running: it has a start and no end yet. */
export const DURATION_UNDER_WAY = '…';

/**
 * How long something took, the same on a cloud's syncs and a workflow's steps: "850 ms" under a second,
 * "2.5 s" from one (a tenth of a second); `common.none` (—) when it has not started and "…" while it runs.
 */
export function durationText(from: string | null | undefined, to: string | null | undefined, i18n: Pick<I18nService, 't'>): string {
  if (!from) return i18n.t('common.none');
  if (!to) return DURATION_UNDER_WAY;
  const ms = Date.parse(to) - Date.parse(from);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
