import pg from 'pg';
import type { Logger } from '../logger.ts';
import type { CallerCache } from './caller-cache.ts';

/** The channel the triggers of migration 0040 notify on every committed change of tokens, users or departments. */
export const IDENTITY_CHANNEL = 'ganyun_identity';

/**
 * Keeps this replica's caller cache true on PostgreSQL: one dedicated connection LISTENs on the identity
 * channel and clears the cache on every notification, so a logout, revocation, disabled user, role or
 * department change made on ANY replica is refused here on the next call (within the notification's delivery,
 * not a TTL). The cache is suspended (every request asks the database) until the connection listens, and again
 * whenever it is lost; it reconnects every `retryMs`. PGlite needs no feed: one process owns the database and
 * trpc.ts clears the cache after each identity change it commits.
 */
export function followIdentityChanges(databaseUrl: string, cache: CallerCache, log: Logger, retryMs = 1000): { listening: Promise<void>; stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  cache.suspend();
  let heard!: () => void;
  const listening = new Promise<void>((resolve) => (heard = resolve));

  const lost = (err?: Error) => {
    cache.suspend();
    const dead = client;
    client = undefined;
    void dead?.end().catch(() => undefined);
    if (stopped) return;
    log.warn({ err }, 'identity change feed lost: the caller cache is off until it is back');
    timer ??= setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    client = c;
    c.on('notification', () => cache.clear());
    c.on('error', (err) => {
      if (client === c) lost(err);
    });
    c.on('end', () => {
      if (client === c) lost();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${IDENTITY_CHANNEL}`);
      if (stopped || client !== c) return void c.end().catch(() => undefined);
      cache.resume();
      heard();
    } catch (err) {
      if (client === c) lost(err as Error);
    }
  };
  void connect();

  return {
    /** Resolves when the first LISTEN is in place. */
    listening,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      cache.suspend();
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
