import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Drains a node:http server (the plain one or the one under Fastify) without knowing its routes: it
 * watches every request from the outside, so the HTTP layer only has to ask `draining` for /readyz.
 *
 * Draining, in order: /readyz answers 503 (the load balancer stops sending new work), then `close()`
 * stops accepting connections and closes idle keep-alive ones, answers to the requests in flight carry
 * `Connection: close`, event streams (live progress) are cut at once so their clients reconnect to another
 * replica, and it resolves when every request in flight has been answered or the deadline has passed
 * (then what is left is cut and counted).
 */
export class HttpDrain {
  /** Responses in flight; true for event streams (live progress), which never end by themselves. */
  private readonly open = new Map<ServerResponse, boolean>();
  private idle: (() => void) | null = null;
  private isDraining = false;

  constructor(private readonly server: Server) {
    // prepend: runs before the application's own handler, whichever framework registered it.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.track(req, res));
  }

  /** True from `startDraining()` on: /readyz then answers 503. */
  get draining(): boolean {
    return this.isDraining;
  }

  startDraining(): void {
    this.isDraining = true;
  }

  /** Requests being answered now. */
  get inFlight(): number {
    return this.open.size;
  }

  /** Stops accepting, waits for the requests in flight until `deadline` (epoch ms); returns how many were cut. */
  async close(deadline: number): Promise<{ cut: number }> {
    this.startDraining();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    for (const [res, eventStream] of this.open) {
      if (eventStream || isEventStream(res)) res.socket?.destroy();
      else if (!res.headersSent) res.setHeader('connection', 'close');
    }
    const drained = this.open.size === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => (this.idle = () => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
    const inTime = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    const cut = inTime ? 0 : this.open.size;
    // Whatever is left (answers past the deadline, keep-alive sockets between requests) goes now.
    this.server.closeAllConnections();
    await closed;
    return { cut };
  }

  private track(req: IncomingMessage, res: ServerResponse): void {
    if (this.isDraining && !res.headersSent) res.setHeader('connection', 'close');
    // EventSource always asks for text/event-stream; the response header is the fallback for other clients.
    this.open.set(res, (req.headers.accept ?? '').includes('text/event-stream'));
    res.once('close', () => {
      this.open.delete(res);
      if (this.open.size === 0) this.idle?.();
    });
  }
}

function isEventStream(res: ServerResponse): boolean {
  const type = res.getHeader('content-type');
  return typeof type === 'string' && type.startsWith('text/event-stream');
}
