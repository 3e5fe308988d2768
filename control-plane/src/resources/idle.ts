import { InputError } from '../errors.ts';
import type { FederationService } from '../federation/contract.ts';
import type { Page, PageRequest } from '../store/keyset.ts';
import type { ResourceRow } from './resources-repo.ts';

/** A host or workload that has been (nearly) idle over its cloud's window: a candidate for reclamation (回收). */
export interface IdleCandidate {
  resourceId: string;
  name: string;
  kind: ResourceRow['kind'];
  systemId: string;
  systemName: string;
  departmentId: string;
  cloudId: string;
  cpuPercent: number;
  memoryPercent: number;
  windowHours: number;
  /** What releasing it would give back to the quota. */
  quota: ResourceRow['quota'];
}

/** Per cloud: whether its utilisation was read, and why not. */
export interface UtilisationSource {
  cloudId: string;
  status: 'measured' | 'not-measured' | 'unavailable';
  reason?: string;
}

export interface IdleThresholds {
  maxCpuPercent: number;
  maxMemoryPercent: number;
}

/**
 * Idle resources from the providers' own utilisation (the optional `utilisation` feature, features.ts): each cloud
 * holding active hosts or workloads is asked once, through the resilient wrapper; a cloud that does not measure use
 * is reported as such rather than guessed at, and a cloud that fails to answer does not hide the others' candidates.
 * Quietest first (`byQuietest`).
 */
export async function idleCandidates(federation: FederationService, rows: readonly ResourceRow[], t: IdleThresholds, signal?: AbortSignal): Promise<{ items: IdleCandidate[]; sources: UtilisationSource[] }> {
  const byCloud = new Map<string, ResourceRow[]>();
  for (const r of rows) {
    if (r.state !== 'active' || (r.kind !== 'host' && r.kind !== 'workload')) continue;
    byCloud.set(r.cloudId, [...(byCloud.get(r.cloudId) ?? []), r]);
  }
  const items: IdleCandidate[] = [];
  const sources: UtilisationSource[] = [];
  for (const [cloudId, mine] of [...byCloud].sort(([a], [b]) => a.localeCompare(b))) {
    const feature = federation.connected(cloudId)?.features?.utilisation;
    if (!feature) {
      sources.push({ cloudId, status: 'not-measured', reason: 'the cloud does not report utilisation' });
      continue;
    }
    let use;
    try {
      use = await feature.utilisation(signal ? { signal } : {});
    } catch (e) {
      sources.push({ cloudId, status: 'unavailable', reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    sources.push({ cloudId, status: 'measured' });
    const seen = new Map(use.map((u) => [`${u.tenant}/${u.kind}/${u.name}`, u]));
    for (const r of mine) {
      const u = seen.get(`${r.tenant}/${r.kind === 'host' ? 'vm' : 'workload'}/${r.cloudName}`);
      if (!u || u.cpuPercent > t.maxCpuPercent || u.memoryPercent > t.maxMemoryPercent) continue;
      items.push({
        resourceId: r.id, name: r.name, kind: r.kind, systemId: r.systemId, systemName: r.systemName, departmentId: r.departmentId, cloudId,
        cpuPercent: u.cpuPercent, memoryPercent: u.memoryPercent, windowHours: u.windowHours, quota: r.quota,
      });
    }
  }
  items.sort(byQuietest);
  return { items, sources };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The list's total order: CPU use, then name, then the resource's id (unique); plain code-unit order, the same on every replica. */
export const byQuietest = (a: IdleCandidate, b: IdleCandidate): number =>
  a.cpuPercent - b.cpuPercent || compare(a.name, b.name) || compare(a.resourceId, b.resourceId);

type IdleKey = [cpuPercent: number, name: string, resourceId: string];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): IdleKey {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && typeof v[0] === 'number' && Number.isFinite(v[0]) && typeof v[1] === 'string' && v[1].length <= 400
      && typeof v[2] === 'string' && UUID.test(v[2])) return v as IdleKey;
  } catch {
    // falls through to the refusal
  }
  throw new InputError('not a cursor this list gave out', 'cursor');
}

/**
 * One page of the idle list. The list is computed in memory on each call (the clouds' utilisation joined to the
 * resources in scope), not read from a table, so this is not a keyset read and a page costs the whole computation;
 * what it shares with store/keyset.ts is the shape: an opaque cursor holding the last row's key in the list's
 * total order (`byQuietest`), `limit` rows after it, `nextCursor` null on the last page. A resource whose measured
 * use changes between two pages moves in the order and may show twice or not at all, as any keyset over a
 * changing key.
 */
export function pageIdle(sorted: readonly IdleCandidate[], page: PageRequest): Page<IdleCandidate> {
  let from = 0;
  if (page.cursor !== undefined) {
    const [cpuPercent, name, resourceId] = decodeCursor(page.cursor);
    const after = { cpuPercent, name, resourceId } as IdleCandidate;
    from = sorted.findIndex((c) => byQuietest(c, after) > 0);
    if (from < 0) from = sorted.length;
  }
  const items = sorted.slice(from, from + page.limit);
  const last = items.at(-1);
  const nextCursor = from + page.limit < sorted.length && last
    ? Buffer.from(JSON.stringify([last.cpuPercent, last.name, last.resourceId])).toString('base64url')
    : null;
  return { items, nextCursor };
}
