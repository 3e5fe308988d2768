import { diffSpecs } from '@ganyun/providers';
import { NotFoundError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';
import { cloudsRepo, type CapacityLine, type CloudRecord, type ListedCloud } from './clouds-repo.ts';
import { admits, type CloudSummaries } from './cloud-summaries.ts';
import type { FederationService } from './contract.ts';
import { inventoryRepo } from './inventory-repo.ts';

/** A cloud as the API shows it: the registry row (one type, `CloudRecord`) without its config, plus live state. */
export interface CloudSummary extends Omit<CloudRecord, 'config' | 'capacity'> {
  health: { status: 'up' | 'degraded' | 'down' | 'unknown'; checkedAt: string | null; latencyMs: number | null; message: string | null };
  /** The worst of `circuits`. */
  circuit: 'closed' | 'open' | 'half-open';
  /** Per operation class: a fault in one class (say, a throttled inventory) does not refuse the others. */
  circuits: Record<'read' | 'mutate' | 'inventory' | 'health', 'closed' | 'open' | 'half-open'>;
  capacity: CapacityLine[];
  lastSync: { at: string | null; status: string | null; objects: number; durationMs: number | null };
  resourceCount: number;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** What the API shows of the clouds the filter names (one statement): never their credentials, nor their config. */
export async function summarise(db: Queryable, federation: FederationService, filter: { region?: string; kind?: string; ids?: string[] }): Promise<CloudSummary[]> {
  if (filter.ids?.length === 0) return [];
  return (await cloudsRepo.listed(db, filter)).map((r) => summaryOf(r, federation));
}

/**
 * clouds.list: the same answer as `summarise` without `ids`, from this process's snapshot of the rows
 * (cloud-summaries.ts: no statement unless something shown changed). What the rows give is shaped once per
 * snapshot; the circuits are read live on every call.
 */
export async function listClouds(summaries: CloudSummaries, federation: FederationService, filter: { region?: string; kind?: string }): Promise<CloudSummary[]> {
  const rows = await summaries.rows();
  let shown = shapedBySnapshot.get(rows);
  if (!shown) shapedBySnapshot.set(rows, (shown = rows.map((r) => frozen(storedPart(r)))));
  const out: CloudSummary[] = [];
  for (const s of shown) if (admits(filter, s)) out.push(withCircuits(s, federation));
  return out;
}

type StoredPart = Omit<CloudSummary, 'circuit' | 'circuits'>;
const shapedBySnapshot = new WeakMap<readonly ListedCloud[], readonly StoredPart[]>();

function storedPart(r: ListedCloud): StoredPart {
  return {
    id: r.id, name: r.name, nameEn: r.nameEn, providerKind: r.providerKind, endpoint: r.endpoint, region: r.region, regionName: r.regionName,
    kind: r.kind, siteRoles: r.siteRoles, certifications: r.certifications, dualActive: r.dualActive, enabled: r.enabled,
    health: { status: (r.healthStatus as CloudSummary['health']['status'] | null) ?? 'unknown', checkedAt: iso(r.healthAt), latencyMs: r.latencyMs, message: r.healthMessage },
    capacity: r.capacity ?? [],
    lastSync: { at: iso(r.syncAt), status: r.syncStatus, objects: r.syncObjects ?? 0, durationMs: r.syncMs },
    resourceCount: r.resourceCount,
  };
}

/** A summary as the API shows it, its fields in the order `summarise` writes them. */
function withCircuits(s: StoredPart, federation: FederationService): CloudSummary {
  return {
    id: s.id, name: s.name, nameEn: s.nameEn, providerKind: s.providerKind, endpoint: s.endpoint, region: s.region, regionName: s.regionName,
    kind: s.kind, siteRoles: s.siteRoles, certifications: s.certifications, dualActive: s.dualActive, enabled: s.enabled,
    health: s.health,
    circuit: federation.circuit(s.id),
    circuits: federation.circuits(s.id),
    capacity: s.capacity,
    lastSync: s.lastSync,
    resourceCount: s.resourceCount,
  };
}

/** Shared by every answer until the snapshot changes: frozen, so a caller that changed an answer would throw, not corrupt it. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

function summaryOf(r: ListedCloud, federation: FederationService): CloudSummary {
  return withCircuits(storedPart(r), federation);
}

/** One cloud as the API shows it; NotFoundError when there is no such cloud. */
export async function cloudSummary(db: Queryable, federation: FederationService, id: string): Promise<CloudSummary> {
  const [summary] = await summarise(db, federation, { ids: [id] });
  if (!summary) throw new NotFoundError(`no cloud ${id}`);
  return summary;
}

export interface DriftEntry {
  key: string;
  kind: string;
  name: string;
  field: string;
  expected: unknown;
  observed: unknown;
}

/** Expected (what Ganyun provisioned) against observed (what the last sync saw), field by field. */
export async function driftOf(db: Queryable, cloudId: string): Promise<DriftEntry[]> {
  const out: DriftEntry[] = [];
  for (const row of await inventoryRepo.withExpectations(db, cloudId)) {
    const base = { key: row.key, kind: row.kind, name: row.name };
    if (row.deletedAt) {
      out.push({ ...base, field: 'exists', expected: true, observed: false });
      continue;
    }
    for (const d of diffSpecs(row.expected, row.spec)) out.push({ ...base, field: d.path, expected: d.desired, observed: d.actual ?? null });
  }
  return out;
}
