/**
 * A simulated cloud as an HTTP service (node:http, JSON), so Ganyun can be run against
 * clouds in other processes and the remote adapter can be tested on a real socket.
 *
 * Faults are applied here, at the wire, as a real cloud would show them: a dropped
 * socket when down, 429 with Retry-After, 503, a truncated JSON body, latency. Admin
 * routes (`/faults`, `/admin/*`) are never faulted. Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ProviderError, isProviderError, type ProviderErrorCode } from '../errors.ts';
import { FaultInjector } from './faults.ts';
import { ROUTES, type Route } from './http-routes.ts';
import { pageNumberOf } from './inventory-listing.ts';
import { hashSeed } from './prng.ts';
import type { SimulatedCloud } from './simulated-cloud.ts';

export interface SimServerOptions {
  readonly cloud: SimulatedCloud;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly faultSeed?: number;
  /** Told about internal errors (bugs), which the client sees only as a 500. */
  readonly log?: (message: string) => void;
}

export interface SimServer {
  readonly url: string;
  readonly port: number;
  readonly cloud: SimulatedCloud;
  readonly faults: FaultInjector;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export const STATUS_OF: Readonly<Record<ProviderErrorCode, number>> = {
  invalid: 400,
  auth: 401,
  'not-found': 404,
  conflict: 409,
  throttled: 429,
  internal: 500,
  garbage: 502,
  unavailable: 503,
  timeout: 504,
};

export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const faults = new FaultInjector(opts.faultSeed ?? hashSeed(0, `${opts.cloud.cloudId}/wire`));
  const server: Server = createServer((req, res) => {
    handle(opts, faults, req, res).catch((e: unknown) => {
      if (!isProviderError(e) && !(e instanceof RangeError)) opts.log?.(`${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      sendError(res, e, opts.cloud.cloudId);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cloud: opts.cloud,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(opts: SimServerOptions, faults: FaultInjector, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const cloudId = opts.cloud.cloudId;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (opts.token !== undefined && !authorized(req, opts.token)) {
    throw new ProviderError({ provider: cloudId, op: 'http', code: 'auth', message: `${cloudId}: missing or wrong bearer token` });
  }
  const { route, params } = match(req.method ?? 'GET', url.pathname);
  if (route === undefined) {
    throw new ProviderError({ provider: cloudId, op: 'http', code: 'not-found', reason: 'no-route', message: `${cloudId}: no route ${req.method} ${url.pathname}` });
  }
  const body = await readJson(req, cloudId);
  if (route.op !== 'admin') {
    const latency = faults.latencyFor(route.op);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const token = url.searchParams.get('page');
    const page = route.op === 'listInventory' ? pageNumberOf({ pageSize: 1, ...(token !== null ? { page: token } : {}) }) : undefined;
    const d = faults.before(route.op, page);
    switch (d.kind) {
      case 'down':
        req.socket.destroy();
        return;
      case 'throttle':
        res.setHeader('Retry-After', String(Math.ceil(d.retryAfterMs / 1000)));
        throw new ProviderError({ provider: cloudId, op: route.op, code: 'throttled', retryAfterMs: d.retryAfterMs });
      case 'error':
      case 'fail-page':
        throw new ProviderError({ provider: cloudId, op: route.op, code: 'unavailable', message: `${cloudId}: ${route.op}: service temporarily unavailable` });
      case 'garbage':
        // A body cut short mid-JSON, as from a proxy that dropped the upstream.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"items":[{"type":"resou');
        return;
      case 'none':
        break;
    }
  }
  const idempotencyKey = headerValue(req, 'idempotency-key') ?? '';
  const result = route.handle({ cloud: opts.cloud, faults, params, query: url.searchParams, body, idempotencyKey });
  if (route.op !== 'admin' && faults.losesResponse(route.op)) {
    req.socket.destroy();
    return;
  }
  send(res, result.status ?? 200, result.body);
}

function match(method: string, path: string): { route?: Route; params: string[] } {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m !== null) return { route, params: m.slice(1).map(decodeSegment) };
  }
  return { params: [] };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // not valid percent-encoding: pass it on as is; name checks will refuse it
  }
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(headerValue(req, 'authorization') ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readJson(req: IncomingMessage, cloudId: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ProviderError({ provider: cloudId, op: 'http', code: 'invalid', reason: 'body-too-large', message: `${cloudId}: request body over ${MAX_BODY_BYTES} bytes` });
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new ProviderError({ provider: cloudId, op: 'http', code: 'invalid', reason: 'invalid-json', message: `${cloudId}: request body is not JSON`, cause: e });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown, cloudId: string): void {
  if (res.headersSent || res.destroyed) return;
  const err = isProviderError(e)
    ? e
    : e instanceof RangeError
      ? new ProviderError({ provider: cloudId, op: 'http', code: 'invalid', message: e.message, cause: e })
      : new ProviderError({ provider: cloudId, op: 'http', code: 'internal', message: `${cloudId}: internal error`, cause: e });
  send(res, STATUS_OF[err.code], { error: err.toJSON() });
}
