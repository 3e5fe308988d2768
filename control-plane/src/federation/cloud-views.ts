import { diffSpecs } from '@ganyun/providers';
import { NotFoundError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';
import { cloudsRepo, type CapacityLine, type CloudRecord, type ListedCloud } from './clouds-repo.ts';
import { admits, type CloudSummaries } from './cloud-summaries.ts';
import type { FederationService } from './contract.ts';
import { inventoryRepo } from './inventory-repo.ts';
import { deepFreeze, sharedAnswer } from '../shared-answers.ts';

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
 * clouds.list: `{ items }`, the same items as `summarise` without `ids`, from this process's snapshot of the rows
 * (cloud-summaries.ts: no statement unless something shown changed). What the rows give is shaped once per
 * snapshot; the circuits are read live on every call, and while they and the snapshot stay as they were every
 * caller with the same filter gets the same answer object, a shared answer (shared-answers.ts: its JSON text is
 * written once). A new snapshot (any change of what is shown) or any circuit moving makes a new answer.
 */
export async function listClouds(summaries: CloudSummaries, federation: FederationService, filter: { region?: string; kind?: string }): Promise<{ items: CloudSummary[] }> {
  const rows = await summaries.rows();
  let shaped = shapedBySnapshot.get(rows);
  if (!shaped) shapedBySnapshot.set(rows, (shaped = { parts: rows.map((r) => deepFreeze(storedPart(r))), answers: new Map() }));
  const parts = shaped.parts.filter((s) => admits(filter, s));
  // Each cloud's circuits are one object until one of them moves (federation.circuits), so "nothing moved" is a
  // comparison of identities; `circuit`, the worst of them, moves only with them and is read for a new answer only.
  const circuits = parts.map((s) => federation.circuits(s.id));
  const key = `${filter.region ?? ''}|${filter.kind ?? ''}`;
  const last = shaped.answers.get(key);
  if (last && same(last.circuits, circuits)) return last.answer;
  const answer = sharedAnswer({ items: parts.map((s, i) => withCircuits(s, federation.circuit(s.id), circuits[i]!)) });
  shaped.answers.set(key, { circuits, answer });
  return answer;
}

const same = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

type StoredPart = Omit<CloudSummary, 'circuit' | 'circuits'>;
/** Per snapshot: its rows shaped once, and per filter the last answer made from them with the circuits it showed. */
const shapedBySnapshot = new WeakMap<readonly ListedCloud[], {
  parts: readonly StoredPart[];
  answers: Map<string, { circuits: CloudSummary['circuits'][]; answer: { items: CloudSummary[] } }>;
}>();

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
function withCircuits(s: StoredPart, circuit: CloudSummary['circuit'], circuits: CloudSummary['circuits']): CloudSummary {
  return {
    id: s.id, name: s.name, nameEn: s.nameEn, providerKind: s.providerKind, endpoint: s.endpoint, region: s.region, regionName: s.regionName,
    kind: s.kind, siteRoles: s.siteRoles, certifications: s.certifications, dualActive: s.dualActive, enabled: s.enabled,
    health: s.health,
    circuit,
    circuits,
    capacity: s.capacity,
    lastSync: s.lastSync,
    resourceCount: s.resourceCount,
  };
}

function summaryOf(r: ListedCloud, federation: FederationService): CloudSummary {
  return withCircuits(storedPart(r), federation.circuit(r.id), federation.circuits(r.id));
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
