import type { DbSession } from './db-session.ts';

export interface ReadinessAnswer {
  ready: boolean;
  status: 'ready' | 'draining' | 'database unreachable';
  store: 'pglite' | 'postgres';
  pendingMigrations: number;
}

/**
 * What /readyz answers, from state this process already holds (a load balancer probes every replica every
 * half second; one query per probe was a fixed cost of every replica): 503 from the first moment of a shutdown
 * (draining), 503 while the replica's database session is down (PostgreSQL stopped or unreachable: the session
 * sees it at once, lifecycle/db-session.ts), 200 otherwise. Migrations are all applied before the server
 * listens (app.ts), so a replica that answers at all has none pending. The embedded store is in process: only
 * draining turns it 503.
 */
export function readinessOf(opts: { store: 'pglite' | 'postgres'; draining: () => boolean; session: DbSession | null }): () => ReadinessAnswer {
  return () => {
    const base = { store: opts.store, pendingMigrations: 0 };
    if (opts.draining()) return { ...base, ready: false, status: 'draining' };
    if (opts.session && !opts.session.up) return { ...base, ready: false, status: 'database unreachable' };
    return { ...base, ready: true, status: 'ready' };
  };
}
