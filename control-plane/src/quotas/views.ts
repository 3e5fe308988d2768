import type { Queryable } from '../store/store.ts';
import type { QuotaLevel, ResourceClass } from './contract.ts';
import type { UsageCounters } from './fit.ts';
import { pathIds, quotaRepo, type NodeRow } from './quota-repo.ts';
import { quotaViewsRepo } from './views-repo.ts';

/** Read models of the quota tree for the API and the console: names, utilisation, ledger pages, explanations. */

/** A node's counters for one cloud and class (those of the admission check) with their utilisation. */
export interface UsageLine extends Omit<UsageCounters, 'nodeId'> {
  /** (reserved + committed) / cap, or null where this level does not cap. */
  utilisation: number | null;
}

export interface NodeSummary {
  id: string;
  level: QuotaLevel;
  ref: string;
  name: string;
  departmentId: string | null;
  children: number;
  usage: UsageLine[];
}

const utilisation = (l: { cap: number | null; reserved: number; committed: number }) => (l.cap === null ? null : l.cap === 0 ? (l.reserved + l.committed > 0 ? 1 : 0) : (l.reserved + l.committed) / l.cap);

/** The nodes with their usage lines (on one cloud, or all). */
async function summarise(db: Queryable, nodes: Omit<NodeSummary, 'usage'>[], cloudId?: string): Promise<NodeSummary[]> {
  if (!nodes.length) return [];
  const lines = await quotaViewsRepo.usageLines(db, nodes.map((n) => n.id), cloudId ?? null);
  const byNode = new Map<string, UsageLine[]>();
  for (const { nodeId, ...l } of lines) {
    const list = byNode.get(nodeId) ?? [];
    list.push({ ...l, utilisation: utilisation(l) });
    byNode.set(nodeId, list);
  }
  return nodes.map((n) => ({ ...n, usage: byNode.get(n.id) ?? [] }));
}

export const quotaViews = {
  children: async (db: Queryable, parentId: string, cloudId?: string) => summarise(db, await quotaViewsRepo.childNodes(db, parentId), cloudId),
  roots: async (db: Queryable, cloudId?: string) => summarise(db, await quotaViewsRepo.rootNodes(db), cloudId),
  async departmentNodes(db: Queryable, departmentIds: string[], cloudId?: string) {
    return summarise(db, await quotaViewsRepo.departmentNodes(db, { departmentIds }), cloudId);
  },

  async node(db: Queryable, node: NodeRow) {
    const [self] = await summarise(db, await quotaViewsRepo.nodeById(db, node.id));
    const ancestors = pathIds(node.path).slice(0, -1);
    const crumbs = ancestors.length ? await quotaViewsRepo.names(db, ancestors) : [];
    const path = ancestors.map((id) => crumbs.find((c) => c.id === id)!).filter(Boolean);
    return { ...self!, parentId: node.parentId, path };
  },

  /** Ledger lines of the node's subtree, newest first, `limit` at a time (cursor = the last id seen). */
  async ledger(db: Queryable, node: NodeRow, f: { cloudId?: string; resourceClass?: string; cursor?: number; limit: number }) {
    const rows = await quotaViewsRepo.ledgerPage(db, node.path, f);
    const items = rows.slice(0, f.limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    return { items, nextCursor: rows.length > f.limit ? items[items.length - 1]!.id : null };
  },

  /**
   * Why a node uses what it uses on one cloud and class: its counters, the same figures summed from the
   * ledger of its subtree (they must agree), and the open reservations that make them up, one line each.
   */
  async explain(db: Queryable, node: NodeRow, cloudId: string, resourceClass: ResourceClass) {
    const [counters] = await quotaRepo.readRows(db, [{ nodeId: node.id, cloudId, resourceClass }]);
    const sums = await quotaViewsRepo.ledgerSums(db, node.path, cloudId, resourceClass);
    const contributions = await quotaViewsRepo.contributions(db, node.path, cloudId, resourceClass);
    const reserved = counters?.reserved ?? 0;
    const committed = counters?.committed ?? 0;
    return {
      cloudId, resourceClass, reserved, committed, cap: counters?.cap ?? null, limit: counters?.limit ?? null,
      ledger: { reserved: sums.reserved, committed: sums.committed, lines: sums.lines },
      consistent: sums.reserved === reserved && sums.committed === committed,
      contributions: contributions.map((c) => ({ ...c, createdAt: new Date(c.createdAt).toISOString() })),
      contributionsTruncated: contributions.length === 1000,
    };
  },

  /** Usage (reserved + committed) at the end of each of the last `days` days, from the ledger of the subtree. */
  async history(db: Queryable, node: NodeRow, f: { cloudId?: string; resourceClass: ResourceClass; days: number }, now = new Date()) {
    return quotaViewsRepo.dailyUsage(db, node.path, f, now);
  },
};
