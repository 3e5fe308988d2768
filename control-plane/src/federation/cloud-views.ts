import { diffSpecs } from '@ganyun/providers';
import type { Queryable } from '../store/store.ts';
import { cloudsRepo, type CapacityLine, type CloudRecord } from './clouds-repo.ts';
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

/** What the API shows of a cloud: never its credentials. */
export async function summarise(db: Queryable, federation: FederationService, records: CloudRecord[]): Promise<CloudSummary[]> {
  if (records.length === 0) return [];
  const extra = new Map((await cloudsRepo.summaries(db, records.map((r) => r.id))).map((s) => [s.id, s]));
  return records.map((r) => {
    const s = extra.get(r.id);
    return {
      id: r.id, name: r.name, nameEn: r.nameEn, providerKind: r.providerKind, endpoint: r.endpoint, region: r.region, regionName: r.regionName,
      kind: r.kind, siteRoles: r.siteRoles, certifications: r.certifications, dualActive: r.dualActive, enabled: r.enabled,
      health: {
        status: (s?.healthStatus as CloudSummary['health']['status'] | null) ?? 'unknown',
        checkedAt: iso(s?.healthAt), latencyMs: s?.latencyMs ?? null, message: s?.healthMessage ?? null,
      },
      circuit: federation.circuit(r.id),
      circuits: federation.circuits(r.id),
      capacity: r.capacity ?? [],
      lastSync: { at: iso(s?.syncAt), status: s?.syncStatus ?? null, objects: s?.syncObjects ?? 0, durationMs: s?.syncMs ?? null },
      resourceCount: s?.resourceCount ?? 0,
    };
  });
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
