/**
 * Translation of HTTP-level failures into ProviderErrors, in one place, keeping causes.
 * A typed error body from the cloud wins; otherwise the status code decides.
 */
import { ProviderError, errnoOf, type ProviderErrorCode } from '../errors.ts';
import { errorBodySchema } from '../wire.ts';

/** Socket-level failures that mean "could not talk to the cloud", worth retrying. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function fromFetchFailure(e: unknown, provider: string, op: string, signal?: AbortSignal): ProviderError {
  if (signal?.aborted === true) {
    return new ProviderError({ provider, op, code: 'timeout', message: `${provider}: ${op}: aborted before the cloud answered`, cause: e });
  }
  const code = errnoOf(e);
  if (code === undefined && e instanceof TypeError && !/^(fetch failed|terminated)$/.test(e.message)) {
    // fetch refused to build the request (bad URL, header with non-Latin-1 text): ours to fix.
    return new ProviderError({ provider, op, code: 'invalid', message: `${provider}: ${op}: request could not be sent: ${e.message}`, cause: e });
  }
  const what = code !== undefined && UNREACHABLE.has(code) ? code : 'network error';
  return new ProviderError({ provider, op, code: 'unavailable', message: `${provider}: ${op}: cannot reach the cloud (${what})`, cause: e });
}

function codeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'throttled';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 502 || status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid';
  return 'internal';
}

/** Retry-After as seconds or an HTTP date, in ms. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function fromErrorResponse(status: number, headers: Headers, text: string, provider: string, op: string): ProviderError {
  const headerRetry = parseRetryAfter(headers.get('retry-after'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const typed = errorBodySchema.safeParse(json);
  if (typed.success) {
    const b = typed.data.error;
    const retryAfterMs = b.retryAfterMs ?? headerRetry;
    return new ProviderError({
      provider,
      op,
      code: b.code,
      retryable: b.retryable,
      message: b.message.startsWith(`${provider}: `) ? b.message : `${provider}: ${op}: ${b.message}`,
      ...(b.reason !== undefined ? { reason: b.reason } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: { status, body: b },
    });
  }
  const code = codeForStatus(status);
  return new ProviderError({
    provider,
    op,
    code,
    message: `${provider}: ${op}: HTTP ${status}`,
    ...(headerRetry !== undefined ? { retryAfterMs: headerRetry } : {}),
    cause: { status, body: text.slice(0, 500) },
  });
}
