import pg from 'pg';
import type { Logger } from '../logger.ts';

export interface DbSessionOptions {
  /** Channel → what to do on each notification (LISTENed on every (re)connection). */
  channels: Record<string, () => void>;
  /** Called each time the session is connected and listening (again): work missed while it was down must be looked for. */
  onUp?: () => void;
  /** Called when the session is lost (the database stopped, the network broke). */
  onDown?: () => void;
  /** Delay between reconnection attempts. */
  retryMs?: number;
}

/**
 * One dedicated PostgreSQL connection per replica, kept open for what a pooled connection cannot do: LISTEN
 * (workflow work arriving from any replica), a session-level advisory lock (which replica runs the background
 * schedule; PostgreSQL drops it the moment this connection dies, kill -9 included) and, by its state, whether
 * the database is reachable (/readyz answers from it instead of querying per probe). PostgreSQL ends every
 * session when it stops, so a database restart is seen at once; TCP keepalive catches a silent network loss.
 * It reconnects every `retryMs` until stopped.
 */
export class DbSession {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private connected = false;

  constructor(private readonly url: string, private readonly log: Logger, private readonly opts: DbSessionOptions) {}

  /** Whether the session is connected and listening now. */
  get up(): boolean {
    return this.connected;
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  /** A statement on the session itself (its advisory locks are this connection's). Throws while it is down. */
  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = this.client;
    if (!c || !this.connected) throw new Error('the database session is down');
    return (await c.query<T>(sql, params)).rows;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const c = this.client;
    this.client = undefined;
    this.connected = false;
    await c?.end().catch(() => undefined);
  }

  private lost(c: pg.Client, err?: Error): void {
    if (this.client !== c) return;
    this.client = undefined;
    const wasUp = this.connected;
    this.connected = false;
    void c.end().catch(() => undefined);
    if (wasUp) {
      this.log.warn({ err }, 'database session lost: not ready until it is back');
      this.opts.onDown?.();
    }
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, this.opts.retryMs ?? 1000);
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.client) return;
    const c = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: 'ganyun-session' });
    this.client = c;
    c.on('notification', (n) => this.opts.channels[n.channel]?.());
    c.on('error', (err) => this.lost(c, err));
    c.on('end', () => this.lost(c));
    try {
      await c.connect();
      for (const channel of Object.keys(this.opts.channels)) await c.query(`LISTEN ${channel}`);
      if (this.client !== c) return;
      if (this.stopped) return void c.end().catch(() => undefined);
      this.connected = true;
      this.opts.onUp?.();
    } catch (err) {
      this.lost(c, err as Error);
    }
  }
}
