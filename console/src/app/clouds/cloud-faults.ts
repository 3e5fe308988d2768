import type { CloudFaults } from '../core/api-types';

/**
 * The faults form. Rates are entered in percent and sent as shares (0–1), which is what
 * clouds.setFaults takes; "not set" is null, and only what is set is sent.
 */
export interface FaultsForm {
  down: boolean;
  latencyMs: number | null;
  errorRatePercent: number | null;
  throttleRatePercent: number | null;
  failPage: number | null;
  garbageRatePercent: number | null;
}

export const NO_FAULTS: FaultsForm = {
  down: false,
  latencyMs: null,
  errorRatePercent: null,
  throttleRatePercent: null,
  failPage: null,
  garbageRatePercent: null,
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const percent = (share: unknown): number | null => {
  const n = num(share);
  return n ? +(n * 100).toFixed(2) : null;
};

/** The cloud's faults in force as clouds.get reports them (the simulator's settings) into the form. */
export function formFromFaults(faults: Record<string, unknown> | null): FaultsForm {
  if (!faults) return { ...NO_FAULTS };
  const failPage = faults['failPage'] as { page?: unknown } | null | undefined;
  return {
    down: faults['down'] === true,
    latencyMs: num(faults['latencyMs']) || null,
    errorRatePercent: percent(faults['errorRate']),
    throttleRatePercent: percent(faults['throttleRate']),
    failPage: num(failPage?.page) ?? null,
    garbageRatePercent: percent(faults['garbageRate']),
  };
}

/**
 * The setFaults input: only the faults that are on. The server replaces the cloud's faults with
 * what it gets, so anything left out is healed; NO_FAULTS gives `{}`, which heals everything.
 */
export function faultsFromForm(form: FaultsForm): CloudFaults {
  const share = (p: number | null) => Math.min(100, Math.max(0, p ?? 0)) / 100;
  const out: CloudFaults = {};
  if (form.down) out.down = true;
  if (form.latencyMs && form.latencyMs > 0) out.latencyMs = Math.min(120_000, Math.round(form.latencyMs));
  if (share(form.errorRatePercent) > 0) out.errorRate = share(form.errorRatePercent);
  if (share(form.throttleRatePercent) > 0) out.throttleRate = share(form.throttleRatePercent);
  if (share(form.garbageRatePercent) > 0) out.garbageRate = share(form.garbageRatePercent);
  if (form.failPage !== null && form.failPage >= 1) out.failPage = { page: Math.floor(form.failPage) };
  return out;
}
