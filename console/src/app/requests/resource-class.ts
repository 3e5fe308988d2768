/**
 * The one place a resource code becomes words: quota classes (vcpu, memoryGiB, …), the kinds a request creates
 * (host, volume, workload, segment) and the cloud's inventory kinds (vm, network-segment, …) each already have
 * texts in their feature's dictionary; this picks the key, so a queue, a ledger or a timeline never shows the code.
 * A code nobody has named yet comes back as itself (the `t` pipe shows an unknown key as written).
 */
const KEYS: Readonly<Record<string, string>> = {
  vcpu: 'quotas.class.vcpu',
  memoryGiB: 'quotas.class.memoryGiB',
  storageGiB: 'quotas.class.storageGiB',
  gpu: 'quotas.class.gpu',
  ipv4Addresses: 'quotas.class.ipv4Addresses',
  ipv6Prefixes64: 'quotas.class.ipv6Prefixes64',
  host: 'resources.kind.host',
  volume: 'resources.kind.volume',
  workload: 'resources.kind.workload',
  segment: 'resources.kind.segment',
  vm: 'cloud.invKind.vm',
  'network-segment': 'cloud.invKind.network-segment',
  'tenant-space': 'cloud.invKind.tenant-space',
};

export function resourceClassKey(code: string): string {
  return KEYS[code] ?? code;
}
