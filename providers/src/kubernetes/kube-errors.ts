/**
 * The one translation of @kubernetes/client-node failures into ProviderErrors, by
 * `ApiException.code`, keeping the original as `cause`.
 */
import { ApiException } from '@kubernetes/client-node';
import { ProviderError, errnoOf, type ProviderErrorCode } from '../errors.ts';

export function codeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 422 || (status >= 400 && status < 500 && status !== 429 && status !== 408)) return 'invalid';
  if (status === 429) return 'throttled';
  if (status === 408 || status === 504) return 'timeout';
  return 'unavailable';
}

/** The `reason` kube-apiserver put in its Status body (AlreadyExists, Conflict, Invalid…), if any. */
export function statusReason(e: unknown): string | undefined {
  if (!(e instanceof ApiException)) return undefined;
  const body: unknown = e.body;
  const parsed = typeof body === 'string' ? safeParse(body) : body;
  const reason = (parsed as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

export function statusOf(e: unknown): number | undefined {
  if (e instanceof ApiException) return e.code;
  const s = (e as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function fromKubeError(e: unknown, provider: string, op: string, signal?: AbortSignal): ProviderError {
  if (e instanceof ProviderError) return e;
  if (signal?.aborted === true) return new ProviderError({ provider, op, code: 'timeout', message: `${provider}: ${op}: aborted before the cluster answered`, cause: e });
  const status = statusOf(e);
  if (status !== undefined) {
    const code = codeForStatus(status);
    const reason = statusReason(e);
    const retryAfterMs = code === 'throttled' ? retryAfter(e) : undefined;
    return new ProviderError({
      provider,
      op,
      code,
      message: `${provider}: ${op}: kube-apiserver answered ${status}${reason !== undefined ? ` ${reason}` : ''}`,
      ...(reason !== undefined ? { reason } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: e,
    });
  }
  if (e instanceof SyntaxError) {
    return new ProviderError({ provider, op, code: 'garbage', message: `${provider}: ${op}: unparseable answer from the cluster`, cause: e });
  }
  return new ProviderError({ provider, op, code: 'unavailable', message: `${provider}: ${op}: cannot reach the cluster (${errnoOf(e) ?? String(e)})`, cause: e });
}

/** Retry-After in ms; at least 1 s when the cluster throttles without saying how long. */
function retryAfter(e: unknown): number {
  const h = e instanceof ApiException ? (e.headers['retry-after'] ?? e.headers['Retry-After']) : undefined;
  const s = Number(h);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 1000;
}

function safeParse(s: string): unknown {
  const i = s.indexOf('{');
  try {
    return i >= 0 ? JSON.parse(s.slice(i)) : undefined;
  } catch {
    return undefined;
  }
}
