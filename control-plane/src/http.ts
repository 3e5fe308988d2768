import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { redeemTicket } from './auth/subscription-tickets.ts';
import { buildCatalog } from './catalog.ts';
import { consoleFiles as serveConsole } from './console-files.ts';
import { metricsAllowed, refusedBatch, sendTrpcRefusal, setSecurityHeaders, sourceAddressOf } from './http-security.ts';
import { createContextInner, type AppDeps } from './context.ts';
import { appRouter } from './routers/_app.ts';
import { pendingMigrations } from './store/migrate.ts';

export interface HttpOptions {
  maxBodyBytes: number;
  consoleDir?: string;
  /** True while the process is shutting down (lifecycle/http-drain.ts): /readyz then answers 503 first. */
  draining?: () => boolean;
  /** Reverse proxies in front of this server whose X-Forwarded-For is trusted (0: none; the peer address counts). */
  trustProxyHops?: number;
  /** Bearer token a metrics scraper must send; without one /metrics answers only local, unrelayed requests. */
  metricsToken?: string;
}

/** Request ids come from a trusted proxy's X-Request-Id when well formed, else are made here. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
}

/** Bearer tokens come from the Authorization header only: never from a URL, which logs and proxies keep. */
function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The HTTP surface: /trpc, /api/catalog, /healthz, /readyz, /metrics, and the console at /. */
export function createHttpServer(deps: AppDeps, opts: HttpOptions): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: opts.maxBodyBytes,
    createContext: async ({ req, res, info }) => {
      const requestId = requestIdOf(req);
      res.setHeader('x-request-id', requestId);
      // EventSource cannot send headers: a subscription names a single-use ticket (streams.ticket) instead.
      const token = bearer(req) ?? (info.type === 'subscription' ? await redeemTicket(deps.store, deps.sealing, info.connectionParams?.['ticket']) : null);
      return createContextInner(deps, { requestId, token, source: sourceAddressOf(req, opts.trustProxyHops) });
    },
  });
  const catalog = buildCatalog(appRouter);
  const consoleFiles = serveConsole(opts.consoleDir);

  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (url.pathname === '/healthz' || url.pathname === '/metrics') return;
      deps.log.debug({ method: req.method, path: url.pathname, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'http');
    });
    setSecurityHeaders(req, res, opts.trustProxyHops);
    // Nothing the API answers may be kept by a browser or a proxy (a new session token among them); the
    // console's static files replace this with their own caching (console-files.ts).
    res.setHeader('cache-control', 'no-store');
    try {
      if (url.pathname.startsWith('/trpc/')) {
        const refusal = refusedBatch(url);
        if (refusal) return sendTrpcRefusal(res, 400, 'BAD_REQUEST', refusal);
        return trpc(req, res);
      }
      if (url.pathname === '/api/catalog') return sendJson(res, 200, { procedures: catalog });
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        if (opts.draining?.()) return sendJson(res, 503, { status: 'draining', store: deps.store.kind });
        const pending = await pendingMigrations(deps.store).catch(() => -1);
        const ready = pending === 0;
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', store: deps.store.kind, pendingMigrations: pending });
      }
      if (url.pathname === '/metrics') {
        if (!metricsAllowed(req, opts.metricsToken)) {
          res.setHeader('www-authenticate', 'Bearer realm="metrics"');
          return sendJson(res, 401, { error: 'metrics need GANYUN_METRICS_TOKEN as a bearer token, or a local scraper' });
        }
        res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
        return res.end(await deps.metrics.registry.metrics());
      }
      if (consoleFiles && (req.method === 'GET' || req.method === 'HEAD')) {
        return consoleFiles(req, res, () => sendJson(res, 404, { error: 'not found' }));
      }
      return sendJson(res, 404, { error: 'not found', hint: consoleFiles ? undefined : 'the console is not built: run npm run build:console' });
    } catch (error) {
      deps.log.error({ err: error, path: url.pathname }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    }
  });
}
