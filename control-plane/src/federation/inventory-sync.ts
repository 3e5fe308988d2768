import { toProviderError, type InventoryItem, type Provider } from '@ganyun/providers';
import type { Store } from '../store/store.ts';
import { reconcileAfterSync } from '../quotas/reconcile.ts';
import { inventoryRepo, type ChangeCounts, type ObservedObject } from './inventory-repo.ts';

export interface SyncSettings {
  pageSize: number;
  /** The cloud's rate budget: inventory pages per second. */
  pagesPerSecond: number;
  signal?: AbortSignal;
}

export interface SyncResult {
  /** What the listing turned out to be: an incremental request falls back to full when the cloud says so. */
  mode: 'full' | 'incremental';
  objects: number;
  counts: ChangeCounts;
  cursor: string;
}

/**
 * Reads the cloud's inventory (everything, or what changed since the saved cursor) and then applies it in
 * one transaction: bulk upserts one statement per page, tombstones, and on a full listing every object not
 * seen marked deleted. Reading completes before writing starts, so a listing that fails part-way (a page
 * that keeps failing, throttling, garbage) leaves the stored inventory and the cursor exactly as they were.
 */
export async function syncInventory(store: Store, provider: Provider, requested: 'full' | 'incremental', s: SyncSettings): Promise<SyncResult> {
  const cloudId = provider.cloudId;
  const cursor = requested === 'incremental' ? await inventoryRepo.cursor(store, cloudId) : null;
  const latest = new Map<string, InventoryItem>();
  const minGapMs = 1000 / s.pagesPerSecond;
  let lastRequest = -Infinity;
  let pageToken: string | undefined;
  let full = true;
  let newCursor = '';
  let first = true;
  do {
    const wait = lastRequest + minGapMs - performance.now();
    if (wait > 0) await sleep(wait, s.signal);
    lastRequest = performance.now();
    const page = await provider.listInventory(
      { pageSize: s.pageSize, ...(pageToken !== undefined ? { page: pageToken } : cursor !== null ? { cursor } : {}) },
      s.signal ? { signal: s.signal } : {},
    );
    if (first) full = page.full;
    first = false;
    for (const item of page.items) {
      const seen = latest.get(item.key);
      if (!seen || seen.revision <= item.revision) latest.set(item.key, item);
    }
    pageToken = page.nextPage;
    newCursor = page.cursor;
  } while (pageToken !== undefined);

  const upserts: ObservedObject[] = [];
  const tombstones: string[] = [];
  for (const item of latest.values()) {
    if (item.type === 'tombstone') tombstones.push(item.key);
    else upserts.push(flatten(item));
  }
  const counts = await store.transaction(async (tx) => {
    const seenAt = new Date();
    const c: ChangeCounts = { created: 0, updated: 0, deleted: 0 };
    for (let i = 0; i < upserts.length; i += s.pageSize) {
      const r = await inventoryRepo.upsertPage(tx, cloudId, upserts.slice(i, i + s.pageSize), seenAt);
      c.created += r.created;
      c.updated += r.updated;
    }
    c.deleted += await inventoryRepo.markDeleted(tx, cloudId, tombstones, seenAt);
    if (full) c.deleted += await inventoryRepo.markUnseenDeleted(tx, cloudId, seenAt);
    await inventoryRepo.setCursor(tx, cloudId, newCursor);
    // Quota usage against this inventory, in the same transaction (a savepoint: it never fails the sync).
    await reconcileAfterSync(tx, cloudId, seenAt);
    return c;
  });
  return { mode: full ? 'full' : 'incremental', objects: latest.size, counts, cursor: newCursor };
}

function flatten(item: Exclude<InventoryItem, { type: 'tombstone' }>): ObservedObject {
  if (item.type === 'resource') {
    const r = item.resource;
    return {
      key: item.key, kind: r.spec.kind, tenant: r.spec.tenant, name: r.spec.name, arch: r.spec.arch ?? null,
      status: r.state, spec: r.spec, revision: item.revision,
    };
  }
  const t = item.tenantSpace;
  return { key: item.key, kind: 'tenant-space', tenant: t.spec.name, name: t.spec.name, arch: null, status: t.state, spec: t.spec, revision: item.revision };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(toProviderError(new Error('sync aborted'), 'sync', 'listInventory'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
