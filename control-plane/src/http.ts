import { fastifyRequestHandler } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { redeemTicket } from './auth/subscription-tickets.ts';
import { buildCatalog } from './catalog.ts';
import { consoleFiles as serveConsole } from './console-files.ts';
import { metricsAllowed, refusedBatch, sendTrpcRefusal, setSecurityHeaders, sourceAddressOf } from './http-security.ts';
import { createContextInner, type AppDeps } from './context.ts';
import { appRouter } from './routers/_app.ts';
import { pendingMigrations } from './store/migrate.ts';
import { answerQuery, queryCallOf, queryPathsOf } from './trpc-query-path.ts';

export interface HttpOptions {
  maxBodyBytes: number;
  consoleDir?: string;
  /** True while the process is shutting down (lifecycle/http-drain.ts): /readyz then answers 503 first. */
  draining?: () => boolean;
  /** /readyz from state the process holds (lifecycle/readiness.ts); without it, each probe asks the database. */
  readiness?: () => { ready: boolean };
  /** Reverse proxies in front of this server whose X-Forwarded-For is trusted (0: none; the peer address counts). */
  trustProxyHops?: number;
  /** Bearer token a metrics scraper must send; without one /metrics answers only local, unrelayed requests. */
  metricsToken?: string;
  /** False sends single GET queries through tRPC's adapter too (the differential spec compares both ways). */
  directQueries?: boolean;
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

const pathOf = (url: string | undefined) => {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
};

/**
 * The HTTP surface on Fastify (issue 15: the standalone adapter's per-request work was most of a cheap read's
 * CPU): /trpc (tRPC's Fastify adapter, SSE included), /api/catalog, /healthz, /readyz, /metrics, and the console
 * at /. It returns the plain node:http server Fastify runs on, so callers listen, drain (lifecycle/http-drain.ts)
 * and close it as before; requests that arrive before Fastify has finished booting wait for it.
 */
export function createHttpServer(deps: AppDeps, opts: HttpOptions): Server {
  const catalog = buildCatalog(appRouter);
  const queryPaths = opts.directQueries === false ? new Set<string>() : queryPathsOf(appRouter);
  const consoleFiles = serveConsole(opts.consoleDir);
  /** One request's context, its id echoed in x-request-id. */
  const contextOf = (raw: IncomingMessage, res: ServerResponse, token: string | null) => {
    const requestId = requestIdOf(raw);
    res.setHeader('x-request-id', requestId);
    return createContextInner(deps, { requestId, token, source: sourceAddressOf(raw, opts.trustProxyHops) });
  };
  let fastifyHandler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  let booted: Promise<void> | null = null;
  const server = createServer((req, res) => {
    if (fastifyHandler) return fastifyHandler(req, res);
    void booted!.then(() => fastifyHandler!(req, res), (err: unknown) => {
      deps.log.error({ err }, 'http server failed to start');
      sendJson(res, 500, { error: 'internal error' });
    });
  });
  let handlerOfFastify: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const app = Fastify({
    logger: false,
    // The drain (lifecycle/http-drain.ts) owns shutdown: Fastify neither answers 503 itself nor cuts sockets.
    return503OnClosing: false,
    forceCloseConnections: false,
    // tRPC batches name every procedure in one path segment.
    routerOptions: { maxParamLength: 4096 },
    serverFactory: (handler) => {
      handlerOfFastify = handler;
      return server;
    },
  });

  // Every answer: the security headers and no caching (the console's static files replace the latter with their
  // own, console-files.ts). Set on the raw response, so hijacked answers (sirv, refusals) carry them too.
  app.addHook('onRequest', (req, reply, done) => {
    setSecurityHeaders(req.raw, reply.raw, opts.trustProxyHops);
    reply.raw.setHeader('cache-control', 'no-store');
    done();
  });
  const logEnabled = () => deps.log.isLevelEnabled('debug');
  app.addHook('onResponse', (req, reply, done) => {
    if (logEnabled()) {
      const path = pathOf(req.raw.url);
      if (path !== '/healthz' && path !== '/metrics') deps.log.debug({ method: req.method, path, status: reply.statusCode, ms: reply.elapsedTime }, 'http');
    }
    done();
  });
  app.setErrorHandler((error: { statusCode?: number; message?: string }, req, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) deps.log.error({ err: error, path: pathOf(req.raw.url) }, 'http handler failed');
    if (reply.raw.headersSent) return;
    void reply.code(status).header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ error: status >= 500 ? 'internal error' : (error.message ?? 'bad request') }));
  });

  // tRPC reads the body itself (bounded by maxBodyBytes, answering 413 in its own error shape), and no other
  // route reads one: Fastify must not buffer or parse it, whatever its content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, parsed) => parsed(null, undefined));
  void app.register((trpcScope, _o, done) => {
    trpcScope.all('/trpc/*', async (req: FastifyRequest, reply: FastifyReply) => {
      const url = new URL(req.raw.url ?? '/', 'http://localhost');
      const refusal = refusedBatch(url);
      if (refusal) {
        reply.hijack();
        return sendTrpcRefusal(reply.raw, 400, 'BAD_REQUEST', refusal);
      }
      const path = decodeURIComponent((req.params as { '*': string })['*']);
      // A single query by GET, the common read, skips the adapter's generic machinery (trpc-query-path.ts).
      const call = queryCallOf(queryPaths, req.method, path, url.searchParams);
      if (call) {
        reply.hijack();
        return answerQuery(appRouter, call, contextOf(req.raw, reply.raw, bearer(req.raw)), reply.raw);
      }
      await fastifyRequestHandler({
        router: appRouter,
        req,
        res: reply,
        path,
        maxBodySize: opts.maxBodyBytes,
        createContext: async ({ req: fReq, res: fRes, info }) => {
          // EventSource cannot send headers: a subscription names a single-use ticket (streams.ticket) instead.
          const token = bearer(fReq.raw) ?? (info.type === 'subscription' ? await redeemTicket(deps.store, deps.sealing, info.connectionParams?.['ticket']) : null);
          return contextOf(fReq.raw, fRes.raw, token);
        },
      });
    });
    done();
  });

  const json = (reply: FastifyReply, status: number, body: unknown) => {
    reply.hijack();
    sendJson(reply.raw, status, body);
  };
  app.all('/api/catalog', (_req, reply) => json(reply, 200, { procedures: catalog }));
  app.all('/healthz', (_req, reply) => json(reply, 200, { status: 'ok' }));
  app.all('/readyz', async (_req, reply) => {
    if (opts.draining?.()) return json(reply, 503, { status: 'draining', store: deps.store.kind });
    if (opts.readiness) {
      const answer = opts.readiness();
      return json(reply, answer.ready ? 200 : 503, answer);
    }
    const pending = await pendingMigrations(deps.store).catch(() => -1);
    const ready = pending === 0;
    return json(reply, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', store: deps.store.kind, pendingMigrations: pending });
  });
  app.all('/metrics', async (req, reply) => {
    if (!metricsAllowed(req.raw, opts.metricsToken)) {
      reply.raw.setHeader('www-authenticate', 'Bearer realm="metrics"');
      return json(reply, 401, { error: 'metrics need GANYUN_METRICS_TOKEN as a bearer token, or a local scraper' });
    }
    const text = await deps.metrics.registry.metrics();
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    reply.raw.end(text);
  });
  // Everything else: the console's files (precompressed, cached by hash: console-files.ts), else 404.
  app.setNotFoundHandler((req, reply) => {
    if (consoleFiles && (req.method === 'GET' || req.method === 'HEAD')) {
      reply.hijack();
      return consoleFiles(req.raw, reply.raw, () => sendJson(reply.raw, 404, { error: 'not found' }));
    }
    return json(reply, 404, { error: 'not found', hint: consoleFiles ? undefined : 'the console is not built: run npm run build:console' });
  });

  booted = Promise.resolve(app.ready()).then(() => {
    fastifyHandler = handlerOfFastify;
  });
  return server;
}
