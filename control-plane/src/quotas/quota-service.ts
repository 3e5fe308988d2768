import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import {
  QuotaError, QuotaExceededError, type QuotaCheck, type QuotaItem, type QuotaService, type Reservation, type ReserveInput,
  type ReservationState, type ResourceClass,
} from './contract.ts';
import { hold, mergeItems, rowKey, shortfallsOf, type PathNode, type UsageCounters } from './fit.ts';
import { setLimitsOn, type LimitInput } from './limits.ts';
import { ensureSystemNode } from './nodes.ts';
import { pathIds, quotaRepo, toReservation, type Delta, type LedgerEntry, type NewReservation, type RowRef } from './quota-repo.ts';

/** How the batcher runs `reserveMany`: one statement to lock the rows and read the keys. */
export interface BatchOptions {
  oneTrip?: boolean;
}

export type ReserveOutcome = { ok: true; reservation: Reservation; replayed: boolean } | { ok: false; error: Error };

/**
 * The quota service. Reservations go through `reserveMany`, which takes a batch (one request for the
 * contract's `reserve`, many for the group-commit batcher): it locks every counter row on every path once,
 * in one global order, applies the requests in order against the locked counters (failing only those that
 * do not fit), then writes all deltas, reservations and ledger lines in three statements.
 */
export class QuotaServiceImpl implements QuotaService {
  /** System id → its path, system first. Nodes never move, so a path once read stays true. */
  private readonly paths = new Map<string, PathNode[]>();
  private readonly clouds = new Set<string>();

  async ensureSystemNode(db: Queryable, input: { systemId: string; departmentId: string; actor: string }): Promise<{ nodeId: string }> {
    return ensureSystemNode(db, input);
  }

  async setSystemLimits(db: Queryable, input: { systemId: string; limits: LimitInput[]; actor: string; reason: string }): Promise<void> {
    const node = await quotaRepo.nodeByRef(db, 'system', input.systemId);
    if (!node) throw new NotFoundError(`system ${input.systemId} has no quota node yet (onboard it first)`);
    await setLimitsOn(db, node, input.limits, input.actor, input.reason);
  }

  async check(db: Queryable, input: { systemId: string; items: QuotaItem[] }): Promise<QuotaCheck> {
    const items = await this.validItems(db, input.items);
    const path = (await this.pathsOf(db, [input.systemId])).get(input.systemId);
    if (!path) throw new NotFoundError(`system ${input.systemId} has no quota node yet (onboard it first)`);
    const rows = await quotaRepo.readRows(db, rowRefs(path, items));
    const shortfalls = shortfallsOf(path, items, new Map(rows.map((r) => [rowKey(r.nodeId, r.cloudId, r.resourceClass), r])));
    const fits = !shortfalls.some((s) => s.kind === 'hard');
    return { fits, needsApproval: fits && shortfalls.length > 0, shortfalls };
  }

  async reserve(db: Queryable, input: ReserveInput): Promise<Reservation> {
    const [outcome] = await this.reserveMany(db, [input]);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.reservation;
  }

  async heldReplay(db: Queryable, input: ReserveInput): Promise<Reservation | undefined> {
    // The same checks as reserve's before its lock (both from caches once warm), then the key alone.
    const items = await this.validItems(db, input.items);
    if (!(await this.pathsOf(db, [input.systemId])).has(input.systemId)) return undefined;
    const row = await quotaRepo.lockReservationByKey(db, input.idempotencyKey);
    const r = row && toReservation(row);
    return r && r.state === 'held' && r.systemId === input.systemId && sameItems(r.items, items) ? r : undefined;
  }

  /**
   * Applies the requests in order; a request that does not fit (or is malformed) fails alone.
   * `oneTrip` (the batcher) locks and reads the idempotency keys in one statement; a key committed by another
   * replica during the lock wait then surfaces as a unique violation, and the batcher retries the batch.
   * Inputs are well-formed (the router's zod schema, quota-schemas.ts, is the one validation); only what needs
   * the database is checked here (the clouds named exist).
   */
  async reserveMany(db: Queryable, inputs: readonly ReserveInput[], now = new Date(), opts: BatchOptions = {}): Promise<ReserveOutcome[]> {
    const outcomes: (ReserveOutcome | undefined)[] = inputs.map(() => undefined);
    const valid: { i: number; input: ReserveInput; items: QuotaItem[] }[] = [];
    for (const [i, input] of inputs.entries()) {
      try {
        valid.push({ i, input, items: await this.validItems(db, input.items) });
      } catch (error) {
        outcomes[i] = { ok: false, error: error as Error };
      }
    }
    const paths = await this.pathsOf(db, [...new Set(valid.map((v) => v.input.systemId))]);
    const live = valid.filter((v) => {
      if (paths.has(v.input.systemId)) return true;
      outcomes[v.i] = { ok: false, error: new NotFoundError(`system ${v.input.systemId} has no quota node yet (onboard it first)`) };
      return false;
    });

    if (!live.length) return outcomes.map((o) => o!);
    // Lock every row of every path in one statement (rows above a system exist once its limits are set; a missing
    // one is created here and locked too).
    const wanted = dedupe(live.flatMap((v) => rowRefs(paths.get(v.input.systemId)!, v.items)));
    const keys = live.map((v) => v.input.idempotencyKey);
    let locked: UsageCounters[];
    let prior: Awaited<ReturnType<typeof quotaRepo.reservationsByKeys>> | undefined;
    if (opts.oneTrip) ({ rows: locked, existing: prior } = await quotaRepo.lockRowsAndKeys(db, wanted, keys));
    else locked = await quotaRepo.lockRows(db, wanted);
    const have = new Set(locked.map((r) => rowKey(r.nodeId, r.cloudId, r.resourceClass)));
    const systemNodes = new Set(live.map((v) => paths.get(v.input.systemId)![0]!.nodeId));
    const missing = wanted.filter((r) => !have.has(rowKey(r.nodeId, r.cloudId, r.resourceClass)) && !systemNodes.has(r.nodeId));
    if (missing.length) {
      await quotaRepo.ensureRows(db, missing);
      locked = await quotaRepo.lockRows(db, wanted);
    }
    const rows = new Map<string, UsageCounters>(locked.map((r) => [rowKey(r.nodeId, r.cloudId, r.resourceClass), { ...r }]));

    // Read the idempotency keys only now: a replica holding these rows has committed its reservations by now.
    prior ??= await quotaRepo.reservationsByKeys(db, keys);
    const existing = new Map(prior.map((r) => [r.idempotencyKey, r]));
    const created: NewReservation[] = [];
    const deltas = new Map<string, Delta>();
    const ledger: LedgerEntry[] = [];
    const madeHere = new Map<string, Reservation>();
    for (const v of live) {
      const { input, items } = v;
      const path = paths.get(input.systemId)!;
      const stored = existing.get(input.idempotencyKey);
      const earlier = madeHere.get(input.idempotencyKey);
      if (stored || earlier) {
        const r = stored ? toReservation(stored) : earlier!;
        outcomes[v.i] = r.systemId === input.systemId && sameItems(r.items, items)
          ? { ok: true, reservation: r, replayed: true }
          : { ok: false, error: new ConflictError(`idempotency key ${input.idempotencyKey} was used for another reservation`, 'idempotencyKey') };
        continue;
      }
      const shortfalls = shortfallsOf(path, items, rows);
      if (shortfalls.some((s) => s.kind === 'hard')) {
        outcomes[v.i] = { ok: false, error: new QuotaExceededError(shortfalls.filter((s) => s.kind === 'hard')) };
        continue;
      }
      hold(path, items, rows);
      const id = newId();
      const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000);
      created.push({ id, systemId: input.systemId, systemNodeId: path[0]!.nodeId, idempotencyKey: input.idempotencyKey, items, state: 'held', ref: input.ref, actor: input.actor, expiresAt, createdAt: now });
      for (const item of items) {
        for (const node of path) {
          if (!rows.has(rowKey(node.nodeId, item.cloudId, item.resourceClass))) continue;
          addDelta(deltas, { nodeId: node.nodeId, cloudId: item.cloudId, resourceClass: item.resourceClass, reserved: item.amount, committed: 0 });
        }
        ledger.push({ nodeId: path[0]!.nodeId, cloudId: item.cloudId, resourceClass: item.resourceClass, kind: 'reserve', reservedDelta: item.amount, committedDelta: 0, reservationId: id, actor: input.actor, ref: input.ref });
      }
      const reservation: Reservation = {
        id, systemId: input.systemId, items, state: 'held', idempotencyKey: input.idempotencyKey, ref: input.ref,
        expiresAt: expiresAt.toISOString(), createdAt: now.toISOString(),
        ...(shortfalls.length ? { warnings: shortfalls } : {}),
      };
      madeHere.set(input.idempotencyKey, reservation);
      outcomes[v.i] = { ok: true, reservation, replayed: false };
    }
    const result = outcomes.map((o) => o!);
    const moved = await quotaRepo.writeReservations(db, created, [...deltas.values()], ledger, now);
    // The rows are locked and checked above; a mismatch means a bug, and the transaction must not commit.
    if (moved !== deltas.size) throw new Error(`quota guard refused ${deltas.size - moved} of ${deltas.size} counter updates`);
    return result;
  }

  async commit(db: Queryable, input: { reservationId: string; actor: string }, now = new Date()): Promise<Reservation> {
    return this.end(db, input.reservationId, 'committed', input.actor, '', now);
  }

  async release(db: Queryable, input: { reservationId: string; actor: string; reason: string }, now = new Date()): Promise<Reservation> {
    return this.end(db, input.reservationId, 'released', input.actor, input.reason, now);
  }

  async returnCommitted(db: Queryable, input: { systemId: string; items: QuotaItem[]; idempotencyKey: string; actor: string; reason: string }, now = new Date()): Promise<boolean> {
    const items = await this.validItems(db, input.items);
    const path = (await this.pathsOf(db, [input.systemId])).get(input.systemId);
    if (!path) throw new NotFoundError(`system ${input.systemId} has no quota node yet (onboard it first)`);
    // Lock the counters first: a second return under the same key waits here, then finds the first one's lines.
    const locked = await quotaRepo.lockRows(db, rowRefs(path, items));
    if (await quotaRepo.returnedUnder(db, input.idempotencyKey)) return false;
    const rows = new Map(locked.map((r) => [rowKey(r.nodeId, r.cloudId, r.resourceClass), r]));
    const deltas = new Map<string, Delta>();
    for (const item of items) {
      for (const node of path) {
        const row = rows.get(rowKey(node.nodeId, item.cloudId, item.resourceClass));
        if (!row) continue;
        if (Number(row.committed) < item.amount) {
          throw new ConflictError(`cannot return ${item.amount} ${item.resourceClass} on ${item.cloudId} at ${node.level} ${node.ref}: only ${row.committed} is committed`);
        }
        addDelta(deltas, { nodeId: node.nodeId, cloudId: item.cloudId, resourceClass: item.resourceClass, reserved: 0, committed: -item.amount });
      }
    }
    const ledger: LedgerEntry[] = items.map((item) => ({
      nodeId: path[0]!.nodeId, cloudId: item.cloudId, resourceClass: item.resourceClass, kind: 'return', reservedDelta: 0, committedDelta: -item.amount,
      reservationId: null, actor: input.actor, ref: input.reason, detail: { returnKey: input.idempotencyKey },
    }));
    await this.write(db, [...deltas.values()], ledger, now);
    return true;
  }

  /** Releases held reservations past their expiry, at most `limit` per call; safe with several replicas (SKIP LOCKED). */
  async reapExpired(db: Queryable, now = new Date(), limit = 200): Promise<string[]> {
    const expired = await quotaRepo.lockExpired(db, now, limit);
    if (!expired.length) return [];
    await this.move(db, expired.map((r) => ({ id: r.id, systemId: r.systemId, items: r.items })), 'expire', 'quota-reaper', 'expired', now, 'expired');
    return expired.map((r) => r.id);
  }

  private async end(db: Queryable, id: string, to: 'committed' | 'released', actor: string, reason: string, now: Date): Promise<Reservation> {
    const [row] = await quotaRepo.lockReservations(db, [id]);
    if (!row) throw new NotFoundError(`no reservation ${id}`);
    const r = toReservation(row);
    if (r.state === to) return r; // repeating a commit or a release changes nothing
    if (to === 'released' && r.state === 'expired') return r; // the reaper already gave it back: nothing left to release
    if (r.state !== 'held') throw new ConflictError(`reservation ${id} is ${r.state}: it cannot be ${to}`);
    if (to === 'committed' && new Date(row.expiresAt).getTime() <= now.getTime()) throw new ConflictError(`reservation ${id} expired at ${r.expiresAt}: reserve again`);
    await this.move(db, [{ id, systemId: r.systemId, items: r.items }], to === 'committed' ? 'commit' : 'release', actor, reason, now, to);
    return { ...r, state: to };
  }

  /** Moves held amounts out of `reserved` (into `committed` for a commit) on every row of each path, and ends the reservations (`to`). */
  private async move(db: Queryable, held: { id: string; systemId: string; items: QuotaItem[] }[], kind: 'commit' | 'release' | 'expire', actor: string, reason: string, now: Date, to: ReservationState) {
    const paths = await this.pathsOf(db, [...new Set(held.map((h) => h.systemId))]);
    const deltas = new Map<string, Delta>();
    const ledger: LedgerEntry[] = [];
    const wanted = dedupe(held.flatMap((h) => rowRefs(paths.get(h.systemId)!, h.items)));
    const rows = new Set((await quotaRepo.lockRows(db, wanted)).map((r) => rowKey(r.nodeId, r.cloudId, r.resourceClass)));
    for (const h of held) {
      const path = paths.get(h.systemId)!;
      for (const item of h.items) {
        for (const node of path) {
          if (!rows.has(rowKey(node.nodeId, item.cloudId, item.resourceClass))) continue;
          addDelta(deltas, { nodeId: node.nodeId, cloudId: item.cloudId, resourceClass: item.resourceClass, reserved: -item.amount, committed: kind === 'commit' ? item.amount : 0 });
        }
        ledger.push({
          nodeId: path[0]!.nodeId, cloudId: item.cloudId, resourceClass: item.resourceClass, kind, reservedDelta: -item.amount,
          committedDelta: kind === 'commit' ? item.amount : 0, reservationId: h.id, actor, ref: reason,
        });
      }
    }
    // The counters, the ledger and the reservations' end by one statement; checked as write checks.
    const moved = await quotaRepo.moveAndEnd(db, [...deltas.values()], ledger, { ids: held.map((h) => h.id), state: to }, now);
    if (moved !== deltas.size) throw new Error(`quota guard refused ${deltas.size - moved} of ${deltas.size} counter updates`);
  }

  private async write(db: Queryable, deltas: Delta[], ledger: LedgerEntry[], now: Date) {
    const moved = await quotaRepo.applyDeltas(db, deltas);
    // The rows are locked and checked above; a mismatch means a bug, and the transaction must not commit.
    if (moved !== deltas.length) throw new Error(`quota guard refused ${deltas.length - moved} of ${deltas.length} counter updates`);
    await quotaRepo.appendLedger(db, ledger, now);
  }

  /** Paths (system first) of the given systems that have a node; read once per process. */
  async pathsOf(db: Queryable, systemIds: string[]): Promise<Map<string, PathNode[]>> {
    const unknown = systemIds.filter((s) => !this.paths.has(s));
    if (unknown.length) {
      const systems = await quotaRepo.systemNodes(db, unknown);
      const ancestors = new Map((await quotaRepo.nodesByIds(db, [...new Set(systems.flatMap((s) => pathIds(s.path)))])).map((n) => [n.id, n]));
      for (const s of systems) {
        this.paths.set(s.ref, pathIds(s.path).reverse().map((id) => {
          const n = ancestors.get(id)!;
          return { nodeId: n.id, level: n.level, ref: n.ref };
        }));
      }
    }
    return new Map(systemIds.filter((s) => this.paths.has(s)).map((s) => [s, this.paths.get(s)!]));
  }

  /** Known clouds (the one check that needs the database); items on the same cloud and class merged. */
  private async validItems(db: Queryable, items: readonly QuotaItem[]): Promise<QuotaItem[]> {
    const unseen = [...new Set(items.map((i) => i.cloudId))].filter((c) => !this.clouds.has(c));
    if (unseen.length) {
      for (const c of await quotaRepo.knownClouds(db, unseen)) this.clouds.add(c);
      const bad = items.findIndex((i) => !this.clouds.has(i.cloudId));
      if (bad >= 0) throw new InputError(`unknown cloud ${items[bad]!.cloudId}`, `items.${bad}.cloudId`);
    }
    return mergeItems(items);
  }
}

const rowRefs = (path: readonly PathNode[], items: readonly QuotaItem[]): RowRef[] =>
  items.flatMap((item) => path.map((n) => ({ nodeId: n.nodeId, cloudId: item.cloudId, resourceClass: item.resourceClass as ResourceClass })));

function dedupe(rows: RowRef[]): RowRef[] {
  return [...new Map(rows.map((r) => [rowKey(r.nodeId, r.cloudId, r.resourceClass), r])).values()];
}

function addDelta(deltas: Map<string, Delta>, d: Delta): void {
  const k = rowKey(d.nodeId, d.cloudId, d.resourceClass);
  const seen = deltas.get(k);
  if (seen) {
    seen.reserved += d.reserved;
    seen.committed += d.committed;
  } else deltas.set(k, { ...d });
}

const sameItems = (a: readonly QuotaItem[], b: readonly QuotaItem[]): boolean => {
  const norm = (xs: readonly QuotaItem[]) => JSON.stringify(mergeItems(xs).map((i) => [i.cloudId, i.resourceClass, i.amount]).sort());
  return norm(a) === norm(b);
};

export { QuotaError };
