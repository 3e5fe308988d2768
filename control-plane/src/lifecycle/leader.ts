import type { Logger } from '../logger.ts';
import type { DbSession } from './db-session.ts';

/** Background work that needs to run on one replica only: started when this replica leads, stopped when it stops leading. */
export interface BackgroundJob {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

/** The advisory lock key of the background schedule (any constant no other code locks). */
export const LEADER_LOCK_KEY = 726_400_713;
/** Notified when a leader steps down, so that another takes over at once instead of at its next try. */
export const LEADER_CHANNEL = 'ganyun_leader';

/**
 * Runs the background schedule (health checks and inventory syncs, the DR sweeper, the quota reaper, the expiry
 * sweep) on one replica at a time. Each of those is safe on several replicas at once (SKIP LOCKED, idempotent
 * sweeps), so the lock is about cost, not correctness: N replicas no longer do N times the same polling. A brief
 * overlap (a leader that has not yet seen its session die) does no harm.
 *
 * The leader holds a session-level advisory lock on its DbSession: PostgreSQL releases it the moment that
 * connection ends (a clean stop, kill -9, a lost network), and the other replicas try to take it every
 * `retryMs` (one statement each) or at once when a leader that steps down notifies LEADER_CHANNEL. Without a
 * session (embedded PGlite: one process) this replica always leads.
 */
export class BackgroundLeader {
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private trying: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly session: DbSession | null,
    private readonly jobs: BackgroundJob[],
    private readonly log: Logger,
    private readonly retryMs = 5000,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    if (!this.session) return this.lead();
    void this.tryLead();
    this.timer ??= setInterval(() => void this.tryLead(), this.retryMs);
    this.timer.unref();
  }

  /** The session is (again) up: try at once. Also what a LEADER_CHANNEL notification calls. */
  tryLead(): Promise<void> {
    const session = this.session;
    if (this.stopped || this.leading || !session?.up) return Promise.resolve();
    this.trying ??= session.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [LEADER_LOCK_KEY])
      .then(([row]) => {
        if (!row?.got) return;
        if (this.stopped) return void session.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => undefined);
        this.lead();
      })
      .catch((err: unknown) => this.log.debug({ err }, 'trying for the background schedule failed; tried again later'))
      .finally(() => (this.trying = null));
    return this.trying;
  }

  /** The session was lost: so was the lock (PostgreSQL dropped it with the connection). */
  sessionLost(): void {
    if (!this.leading) return;
    this.log.warn('database session lost: this replica stops running the background schedule');
    void this.stepDown();
  }

  /** Stops the jobs and hands the lock over (a replica stopping). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.trying;
    const was = this.leading;
    await this.stepDown();
    if (was && this.session?.up) {
      await this.session.query(`SELECT pg_advisory_unlock($1), pg_notify('${LEADER_CHANNEL}', '')`, [LEADER_LOCK_KEY]).catch(() => undefined);
    }
  }

  private lead(): void {
    this.leading = true;
    if (this.session) this.log.info({ jobs: this.jobs.map((j) => j.name) }, 'this replica runs the background schedule');
    for (const job of this.jobs) job.start();
  }

  private async stepDown(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    await Promise.all(this.jobs.map((j) => j.stop().catch((err: unknown) => this.log.error({ err, job: j.name }, 'stopping a background job failed'))));
  }
}
