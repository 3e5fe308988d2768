import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { buildCatalog } from './catalog.ts';
import { consoleFiles as serveConsole } from './console-files.ts';
import { refusedBatch, sendTrpcRefusal, sourceAddressOf } from './http-security.ts';
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
}

/** Request ids come from a trusted proxy's X-Request-Id when well formed, else are made here. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
}

function bearer(req: IncomingMessage, connectionParams: Record<string, string | undefined> | null): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  // EventSource cannot send headers: SSE subscriptions pass the token as a connection parameter.
  return connectionParams?.['token'] ?? null;
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
    createContext: ({ req, res, info }) => {
      const requestId = requestIdOf(req);
      res.setHeader('x-request-id', requestId);
      return createContextInner(deps, { requestId, token: bearer(req, info.connectionParams), source: sourceAddressOf(req, opts.trustProxyHops) });
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
    res.setHeader('x-content-type-options', 'nosniff');
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
