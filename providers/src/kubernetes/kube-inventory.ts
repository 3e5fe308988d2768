/**
 * Inventory over the Kubernetes API: a full listing pages Namespaces then Deployments with
 * `limit` / `continue`; an incremental listing watches both from the cursor's
 * resourceVersion (with bookmarks) up to the cluster's current revision, and falls back to
 * a full listing on 410 Gone. Page tokens are stateless (they re-derive the same page).
 */
import { Watch, type AppsV1Api, type CoreV1Api, type KubeConfig, type V1Deployment, type V1Namespace } from '@kubernetes/client-node';
import { resourceKey, tenantSpaceKey, ZERO_QUOTA } from '../spec-checks.ts';
import type { InventoryItem, InventoryPage, InventoryRequest } from '../spi.ts';
import { statusOf } from './kube-errors.ts';
import { LABEL, MANAGED_SELECTOR, quotaFromKube, resourceFrom, tenantSpaceFrom } from './kube-objects.ts';

type FullToken = { m: 'full'; rv: string; phase: 'ns' | 'deploy'; cont?: string };
type ChangeToken = { m: 'chg'; from: string; to: string; off: number };
type PageToken = FullToken | ChangeToken;

export interface InventoryDeps {
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly watchTimeoutMs: number;
}

export const encodeToken = (t: PageToken): string => Buffer.from(JSON.stringify(t)).toString('base64url');
export function decodeToken(s: string): PageToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as PageToken;
    return t.m === 'full' || t.m === 'chg' ? t : undefined;
  } catch {
    return undefined;
  }
}

export class GoneError extends Error {
  constructor(cause?: unknown) {
    super('410 Gone: the resourceVersion is older than the cluster keeps', { cause });
  }
}

export async function fullPage(d: InventoryDeps, pageSize: number, token?: FullToken): Promise<InventoryPage> {
  const phase = token?.phase ?? 'ns';
  const cont = token?.cont;
  if (phase === 'ns') {
    const list = await d.core.listNamespace({ labelSelector: MANAGED_SELECTOR, limit: pageSize, ...(cont !== undefined ? { _continue: cont } : {}) });
    const rv = token?.rv ?? list.metadata?.resourceVersion ?? '0';
    const items = await tenantItems(d, list.items);
    const next = list.metadata?._continue;
    const nextToken: FullToken = next ? { m: 'full', rv, phase: 'ns', cont: next } : { m: 'full', rv, phase: 'deploy' };
    return { items, nextPage: encodeToken(nextToken), cursor: `k8s:${rv}`, full: true };
  }
  const list = await d.apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR, limit: pageSize, ...(cont !== undefined ? { _continue: cont } : {}) });
  const rv = token?.rv ?? '0';
  const items = list.items.map(deploymentItem);
  const next = list.metadata?._continue;
  return { items, ...(next ? { nextPage: encodeToken({ m: 'full', rv, phase: 'deploy', cont: next }) } : {}), cursor: `k8s:${rv}`, full: true };
}

async function tenantItems(d: InventoryDeps, namespaces: V1Namespace[]): Promise<InventoryItem[]> {
  if (namespaces.length === 0) return [];
  const names = namespaces.map((n) => n.metadata?.name ?? '');
  const quotas = await d.core.listResourceQuotaForAllNamespaces({ labelSelector: `${LABEL.tenant} in (${names.join(',')})` });
  const byNs = new Map(quotas.items.map((q) => [q.metadata?.namespace ?? '', q]));
  return namespaces.map((ns) => {
    const q = byNs.get(ns.metadata?.name ?? '');
    const used = q?.status?.used as Record<string, string> | undefined;
    const tenantSpace = tenantSpaceFrom(ns, q ? quotaFromKube(q.spec?.hard as Record<string, string>) : undefined, used ? quotaFromKube(used) : ZERO_QUOTA);
    return { type: 'tenant-space' as const, key: tenantSpaceKey(tenantSpace.spec.name), revision: Number(ns.metadata?.resourceVersion ?? 0), tenantSpace };
  });
}

function deploymentItem(dep: V1Deployment): InventoryItem {
  const resource = resourceFrom(dep);
  return { type: 'resource', key: resourceKey(resource.spec), revision: Number(dep.metadata?.resourceVersion ?? 0), resource };
}

/** The cluster's current revision: a list's resourceVersion (one item, label-filtered). */
export async function currentRevision(d: InventoryDeps): Promise<string> {
  const l = await d.core.listNamespace({ labelSelector: MANAGED_SELECTOR, limit: 1 });
  return l.metadata?.resourceVersion ?? '0';
}

/** Changes in (from, to], one item per key (the latest), ordered by revision. */
export async function changesBetween(d: InventoryDeps, from: string, to: string): Promise<InventoryItem[]> {
  if (Number(to) <= Number(from)) return [];
  const [ns, deps] = await Promise.all([
    watchUntil(d, '/api/v1/namespaces', from, to),
    watchUntil(d, '/apis/apps/v1/deployments', from, to),
  ]);
  const latest = new Map<string, InventoryItem>();
  for (const e of [...ns, ...deps].sort((a, b) => rvOf(a.object) - rvOf(b.object))) {
    if (rvOf(e.object) > Number(to)) continue;
    const isNs = e.object.kind === 'Namespace';
    const key = isNs ? tenantSpaceKey(e.object.metadata?.name ?? '') : resourceKey({ tenant: e.object.metadata?.namespace ?? '', kind: 'workload', name: e.object.metadata?.name ?? '' });
    const revision = rvOf(e.object);
    if (e.type === 'DELETED') latest.set(key, { type: 'tombstone', key, revision, objectType: isNs ? 'tenant-space' : 'resource' });
    else if (isNs) latest.set(key, { type: 'tenant-space', key, revision, tenantSpace: tenantSpaceFrom(e.object as V1Namespace, undefined, ZERO_QUOTA) });
    else latest.set(key, deploymentItem(e.object as V1Deployment));
  }
  return [...latest.values()].sort((a, b) => a.revision - b.revision);
}

interface WatchEvent {
  readonly type: string;
  readonly object: { kind?: string; metadata?: { name?: string; namespace?: string; resourceVersion?: string } };
}
const rvOf = (o: { metadata?: { resourceVersion?: string } }): number => Number(o.metadata?.resourceVersion ?? 0);

/**
 * Watches `path` from `from` until an event or bookmark reaches `to`, or the timeout
 * passes (a real cluster sends bookmarks only now and then). 410 → GoneError.
 */
function watchUntil(d: InventoryDeps, path: string, from: string, to: string): Promise<WatchEvent[]> {
  return new Promise((resolve, reject) => {
    const events: WatchEvent[] = [];
    let controller: AbortController | undefined;
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      controller?.abort();
      if (err !== undefined) reject(err);
      else resolve(events);
    };
    const timer = setTimeout(() => finish(), d.watchTimeoutMs);
    const query = { resourceVersion: from, allowWatchBookmarks: true, labelSelector: MANAGED_SELECTOR, timeoutSeconds: Math.max(1, Math.ceil(d.watchTimeoutMs / 1000)) };
    new Watch(d.kc)
      .watch(
        path,
        query,
        (type, obj: WatchEvent['object'] & { code?: number }) => {
          if (type === 'ERROR') return finish(obj.code === 410 ? new GoneError(obj) : new Error(`watch error ${JSON.stringify(obj)}`));
          if (type !== 'BOOKMARK') events.push({ type, object: obj });
          if (rvOf(obj) >= Number(to)) finish();
        },
        (err: unknown) => {
          if (err === null || err === undefined) return finish();
          finish(statusOf(err) === 410 ? new GoneError(err) : err);
        },
      )
      .then((c) => {
        controller = c;
        if (settled) c.abort();
      }, finish);
  });
}

/**
 * One page of the inventory: a full listing (limit / continue), or the changes since the request's cursor (a
 * watch from that resourceVersion), relisting whole when the cluster answers 410 Gone. `invalid` builds the
 * error of a bad page size or page token.
 */
export async function listPage(
  d: InventoryDeps,
  req: InventoryRequest,
  maxPageSize: number,
  invalid: (message: string, reason?: string) => Error,
): Promise<InventoryPage> {
  if (!Number.isInteger(req.pageSize) || req.pageSize < 1 || req.pageSize > maxPageSize) throw invalid(`pageSize must be 1..${maxPageSize}`);
  if (req.page !== undefined) {
    const t = decodeToken(req.page);
    if (t === undefined) throw invalid('unreadable page token', 'bad-page-token');
    if (t.m === 'full') return fullPage(d, req.pageSize, t);
    return changePage(d, t.from, t.to, t.off, req.pageSize);
  }
  if (req.cursor === undefined) return fullPage(d, req.pageSize);
  const from = /^k8s:(\d+)$/.exec(req.cursor)?.[1];
  if (from === undefined) return fullPage(d, req.pageSize);
  return changePage(d, from, await currentRevision(d), 0, req.pageSize);
}

async function changePage(d: InventoryDeps, from: string, to: string, off: number, pageSize: number): Promise<InventoryPage> {
  try {
    const all = await changesBetween(d, from, to);
    const items = all.slice(off, off + pageSize);
    const more = off + pageSize < all.length;
    return { items, ...(more ? { nextPage: encodeToken({ m: 'chg', from, to, off: off + pageSize }) } : {}), cursor: `k8s:${to}`, full: false };
  } catch (e) {
    if (e instanceof GoneError) return fullPage(d, pageSize);
    throw e;
  }
}
