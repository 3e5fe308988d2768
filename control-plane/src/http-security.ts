import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The HTTP-level guards of issue 19 in one small module, so http.ts only calls them: who is calling (the source
 * address for login throttling), batches that must not be batched, and (below) the security headers.
 */

/** Procedures that check a password: one guess per HTTP request, never a batch of them (issue 19.1). */
const NEVER_BATCHED = new Set(['auth.login', 'auth.changePassword']);
/** A batch of more calls than this is refused: one request must not buy minutes of server time. */
export const MAX_BATCH_CALLS = 20;

/**
 * The caller's address. Behind `trustProxyHops` reverse proxies (a load balancer, an ingress) the address is
 * the one the outermost trusted proxy saw, read from the right of X-Forwarded-For; entries further left were
 * written by the client and are not trusted. Without proxies: the socket's peer.
 */
export function sourceAddressOf(req: IncomingMessage, trustProxyHops = 0): string | null {
  const peer = req.socket.remoteAddress ?? null;
  if (trustProxyHops <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return hops.length >= trustProxyHops ? hops[hops.length - trustProxyHops]! : peer;
}

/**
 * A tRPC batch (`/trpc/a,b,c?batch=1`) that names a password-checking procedure, or more than MAX_BATCH_CALLS
 * calls, gets a 400 before anything runs: a reason for the refusal, or null to let it through.
 */
export function refusedBatch(url: URL): string | null {
  if (!url.searchParams.has('batch')) return null;
  const paths = decodeURIComponent(url.pathname.slice('/trpc/'.length)).split(',');
  const unsafe = paths.find((p) => NEVER_BATCHED.has(p));
  if (unsafe) return `${unsafe} cannot be batched: send it as a request of its own`;
  if (paths.length > MAX_BATCH_CALLS) return `a batch holds at most ${MAX_BATCH_CALLS} calls (got ${paths.length})`;
  return null;
}

/** A refusal shaped like a tRPC error, so any tRPC client reports it as such. */
export function sendTrpcRefusal(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { message, code: -32600, data: { code, httpStatus: status } } }));
}

/**
 * The console's Content-Security-Policy. Scripts only from this origin, never inline (the production build
 * inlines no script or event handler: console/angular.json turns critical-CSS inlining off, since it relies on
 * an inline `onload`). Styles may be inline: Angular's emulated encapsulation and ng-zorro insert <style>
 * elements and style attributes at run time, and a stylesheet cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every answer (issue 19.8). HSTS only when the request reached us over TLS: on the socket, or as
 * reported by a trusted proxy (X-Forwarded-Proto: https, only believed when proxies are configured), since a
 * browser ignores HSTS over plain HTTP and a plain-HTTP development server must stay reachable.
 */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, trustProxyHops = 0): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (overTls(req, trustProxyHops)) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

function overTls(req: IncomingMessage, trustProxyHops: number): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (trustProxyHops <= 0) return false;
  const proto = req.headers['x-forwarded-proto'];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase() === 'https';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * /metrics names procedures, outcomes and login failures, so it is not public (issue 19.8): with
 * GANYUN_METRICS_TOKEN set it wants `Authorization: Bearer <that token>`; without, only a scraper on this
 * host may read it, and a request relayed by a proxy on this host (it carries X-Forwarded-For or Forwarded)
 * does not count as local, so a load balancer never exposes it.
 */
export function metricsAllowed(req: IncomingMessage, metricsToken: string | undefined): boolean {
  if (metricsToken) {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    return timingSafeEqual(digest(given), digest(metricsToken));
  }
  const relayed = req.headers['x-forwarded-for'] !== undefined || req.headers['forwarded'] !== undefined;
  return !relayed && LOOPBACK.has(req.socket.remoteAddress ?? '');
}

const digest = (text: string) => createHash('sha256').update(text).digest();
