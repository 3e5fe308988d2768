import type { Store } from '../store/store.ts';
import { FeedCache } from '../store/feed-cache.ts';
import { cloudsRepo, type ListedCloud } from './clouds-repo.ts';

/** The channel migration 0265's triggers notify on every committed change of what clouds.list shows. */
export const CLOUDS_CHANNEL = 'ganyun_clouds';

/**
 * The clouds as clouds.list shows them (every cloud, in the list's order), kept per process so that the list every
 * operator's console polls costs no statement per call (issue 15: the statement and its rows were two thirds of
 * the list's CPU on PGlite). It holds the database's rows only; the live circuit state is added per call by
 * cloud-views.ts and never kept here. Correctness does not rest on a TTL:
 *  - any committed change of a cloud's row, its latest health check or sync, its live object count or a region's
 *    name notifies `ganyun_clouds` (triggers of migration 0265, whoever writes); the snapshot is dropped and the
 *    next read rebuilds it with one statement. On PGlite the notification is delivered in process as the
 *    committing statement returns, so a write followed by a read sees the write; on PostgreSQL each replica hears
 *    it on its database session (app.ts), and this replica's own API writes to clouds also drop it after their
 *    commit (trpc.ts);
 *  - until the change feed listens, and whenever it is lost, the snapshot is off: every read asks the database;
 *  - a rebuild that started before a change and finishes after it answers its caller but is not kept
 *    (`generation`), so a stale snapshot cannot outlive the notification that made it stale.
 * Filters (region, kind) are applied to the snapshot as the SQL would. The list is the same for every role.
 */
export class CloudSummaries extends FeedCache {
  private kept: readonly ListedCloud[] | null = null;
  private building: { generation: number; rows: Promise<readonly ListedCloud[]> } | null = null;
  private inProcessFeed: Promise<void> | null = null;

  constructor(private readonly store: Store) {
    super(true);
  }

  /** The listed rows the filter admits, in the list's order (region, id): from the snapshot when it can be trusted. */
  async listed(filter: { region?: string; kind?: string } = {}): Promise<ListedCloud[]> {
    return (await this.rows()).filter((r) => admits(filter, r));
  }

  /**
   * Every listed row, in the list's order: the snapshot itself (frozen; the same array until something shown
   * changes, so callers may key what they derive from it by it), or, while no change feed listens, a fresh read.
   */
  async rows(): Promise<readonly ListedCloud[]> {
    // A listener that cannot be set up leaves the snapshot off (every read asks the database), never a failed read.
    if (this.store.kind === 'pglite' && this.inProcessFeed === null) await (this.inProcessFeed = this.followInProcess().catch(() => undefined));
    return this.isSuspended ? cloudsRepo.listed(this.store) : this.snapshot();
  }

  /** What is shown changed (a notification, or a commit of this process): the next read rebuilds. */
  invalidate(): void {
    this.drop();
  }

  protected forget(): void {
    this.kept = null;
    this.building = null;
  }

  private snapshot(): Promise<readonly ListedCloud[]> | readonly ListedCloud[] {
    if (this.kept) return this.kept;
    if (this.building?.generation === this.generation) return this.building.rows;
    const generation = this.generation;
    const rows = cloudsRepo.listed(this.store).then(
      (r) => {
        const kept = Object.freeze(r);
        if (this.building?.rows === rows) this.building = null;
        if (generation === this.generation && !this.isSuspended) this.kept = kept;
        return kept;
      },
      (err: unknown) => {
        if (this.building?.rows === rows) this.building = null;
        throw err;
      },
    );
    this.building = { generation, rows };
    return rows;
  }

  /**
   * PGlite: one process owns the database, and its NOTIFY reaches this process's listener at commit. The listener
   * holds the snapshot weakly: specs build many deps over one PGlite, and a dropped snapshot unlistens itself.
   */
  private async followInProcess(): Promise<void> {
    if (!this.store.listen) return;
    const self = new WeakRef(this);
    let gone = false;
    const unlisten: () => Promise<void> = await this.store.listen(CLOUDS_CHANNEL, () => {
      const s = self.deref();
      if (s) s.invalidate();
      else if (!gone) {
        gone = true;
        void unlisten().catch(() => undefined);
      }
    });
    this.resume();
  }
}

/** The list's filter as the statement applies it (clouds-repo.ts `whereOf`): an absent or empty value admits all. */
export function admits(filter: { region?: string; kind?: string }, row: { region: string; kind: string }): boolean {
  return (!filter.region || row.region === filter.region) && (!filter.kind || row.kind === filter.kind);
}
