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
