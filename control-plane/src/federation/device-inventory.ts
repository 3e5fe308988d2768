/**
 * Inventory of an SSH-managed cloud: a Linux host is one `host` object (its facts as the spec); a network device
 * is one `interface` object per interface (IPv4 brief row merged with its IPv6 addresses) and one `vpn-instance`
 * per VPN instance. The whole answer is read before anything is written, then applied in one transaction, so a
 * device that hangs, cuts its answer or refuses the session leaves the stored inventory exactly as it was.
 */
import { createHash } from 'node:crypto';
import type { DeviceInventoryFeature, SshInventory } from '@ganyun/providers';
import type { Store } from '../store/store.ts';
import { inventoryRepo, type ObservedObject } from './inventory-repo.ts';
import type { SyncResult } from './inventory-sync.ts';

export const DEVICE_OBJECT_KINDS = ['host', 'interface', 'vpn-instance'] as const;

/**
 * `device` is the cloud's `deviceInventory` feature as the resilient provider offers it: the call goes through the
 * cloud's breaker and bulkhead, and its duration is recorded by the provider-call metrics hook (op `inventory`).
 */
export async function syncDeviceInventory(store: Store, cloudId: string, device: DeviceInventoryFeature, signal?: AbortSignal): Promise<SyncResult> {
  const inv = await device.inventory(signal ? { signal } : {});
  const objects = objectsOf(device.host, inv);
  const counts = await store.transaction(async (tx) => {
    const seenAt = new Date();
    const r = await inventoryRepo.upsertPage(tx, cloudId, objects, seenAt);
    const deleted = await inventoryRepo.markUnseenDeleted(tx, cloudId, seenAt);
    await inventoryRepo.setCursor(tx, cloudId, 'ssh:full');
    return { created: r.created, updated: r.updated, deleted };
  });
  return { mode: 'full', objects: objects.length, counts, cursor: 'ssh:full' };
}

/** The stored objects of an inventory read from `host`. */
export function objectsOf(host: string, inv: SshInventory): ObservedObject[] {
  if (inv.kind === 'ssh-host') {
    const f = inv.facts;
    return [object({ key: `host/${host}`, kind: 'host', name: f.os.prettyName ?? host, arch: f.arch ?? null, status: 'up', spec: f })];
  }
  const v6 = new Map(inv.ipv6Interfaces.map((i) => [i.name, i]));
  const out = inv.interfaces.map((i) =>
    object({ key: `interface/${i.name}`, kind: 'interface', name: i.name, arch: null, status: i.physical, spec: { ...i, ipv6: v6.get(i.name)?.addresses ?? [] } }),
  );
  // An interface that only the IPv6 table lists (possible on Comware) still counts.
  for (const i of inv.ipv6Interfaces) {
    if (!inv.interfaces.some((x) => x.name === i.name)) {
      out.push(object({ key: `interface/${i.name}`, kind: 'interface', name: i.name, arch: null, status: i.physical, spec: { name: i.name, physical: i.physical, protocol: i.protocol, spoofing: false, ipv6: i.addresses } }));
    }
  }
  for (const v of inv.vpnInstances) out.push(object({ key: `vpn-instance/${v.name}`, kind: 'vpn-instance', name: v.name, arch: null, status: 'active', spec: v }));
  return out;
}

/** The revision is a digest of the spec: a changed interface counts as updated, an unchanged one does not. */
function object(o: Omit<ObservedObject, 'revision' | 'tenant'>): ObservedObject {
  const digest = createHash('sha256').update(JSON.stringify(o.spec)).digest();
  return { ...o, tenant: null, revision: digest.readUIntBE(0, 6) };
}
