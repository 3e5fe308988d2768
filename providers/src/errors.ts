/**
 * Typed provider failures. Providers throw only `ProviderError`; adapters translate
 * transport failures (HTTP status, socket errors, parse failures) here, at the edge,
 * and always keep the original as `cause`.
 */

export const PROVIDER_ERROR_CODES = [
  'unavailable',
  'throttled',
  'timeout',
  'not-found',
  'conflict',
  'invalid',
  'garbage',
  'auth',
  'internal',
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

/**
 * Whether a code is worth retrying by default. Garbage is not: an endpoint that answers
 * with something unparseable is usually misconfigured (a proxy page, a wrong URL), and the
 * circuit breaker, not a retry loop, is what should react to it.
 */
const RETRYABLE_BY_DEFAULT: Readonly<Record<ProviderErrorCode, boolean>> = {
  unavailable: true,
  throttled: true,
  timeout: true,
  'not-found': false,
  conflict: false,
  invalid: false,
  garbage: false,
  auth: false,
  internal: false,
};

export interface ProviderErrorInit {
  readonly provider: string;
  readonly op: string;
  readonly code: ProviderErrorCode;
  readonly message?: string;
  readonly retryable?: boolean;
  /** Finer reason within the code, e.g. `quota-exceeded`, `idempotency-key-reuse`. */
  readonly reason?: string;
  /** For throttling: how long the cloud asked us to wait. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  /** Cloud id the call was made to. */
  readonly provider: string;
  readonly op: string;
  readonly code: ProviderErrorCode;
  readonly retryable: boolean;
  readonly reason?: string;
  readonly retryAfterMs?: number;

  constructor(init: ProviderErrorInit) {
    super(init.message ?? `${init.provider}: ${init.op} failed: ${init.code}${init.reason ? ` (${init.reason})` : ''}`, {
      cause: init.cause,
    });
    this.provider = init.provider;
    this.op = init.op;
    this.code = init.code;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT[init.code];
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /** The shape sent over the wire by the sim server and read back by the remote adapter. */
  toJSON(): ProviderErrorBody {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

export interface ProviderErrorBody {
  readonly code: ProviderErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly reason?: string;
  readonly retryAfterMs?: number;
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

export function isProviderErrorCode(s: unknown): s is ProviderErrorCode {
  return typeof s === 'string' && (PROVIDER_ERROR_CODES as readonly string[]).includes(s);
}

/**
 * Normalises anything thrown into a ProviderError for the given cloud and op. A
 * ProviderError passes through unchanged; anything else is an `internal` error with the
 * original kept as `cause`, so a bug in a provider never leaks an untyped error.
 */
export function toProviderError(e: unknown, provider: string, op: string): ProviderError {
  if (e instanceof ProviderError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ProviderError({ provider, op, code: 'internal', message: `${provider}: ${op}: ${message}`, cause: e });
}

/**
 * The errno-style `code` (ECONNREFUSED, ETIMEDOUT…) of a network failure, looked for on the error and up to three
 * `cause`s below it: fetch wraps socket errors as TypeError('fetch failed') with `cause.code`, sometimes nested.
 */
export function errnoOf(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
