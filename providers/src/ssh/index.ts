/** Public API of the SSH provider (Linux hosts, Huawei VRP and H3C Comware devices). */
export type * from './types.ts';
export { SshSessionPool, type ExecOptions, type SshSessionPoolOptions } from './ssh-session-pool.ts';
export {
  InMemoryKnownHosts,
  fingerprintOfPublicKeyLine,
  sha256Fingerprint,
  verifyHostKey,
  type HostKeyChangedAlarm,
  type HostKeyVerdict,
  type KnownHosts,
  type PinnedHostKey,
} from './host-keys.ts';
export { HostKeyError, isHostKeyError, type HostKeyReason } from './ssh-errors.ts';
export {
  MAX_PING_COUNT,
  VPN_NAME,
  deviceCommand,
  isAllowedCommand,
  linuxCommand,
  type AllowedCommand,
  type DeviceCommandRequest,
  type LinuxCommandRequest,
} from './command-allowlist.ts';
export { SshHostProvider, type ProbeRequest } from './ssh-host-provider.ts';
export { NetworkDeviceProvider, type DeviceProbeRequest } from './network-device-provider.ts';
export { archOfMachine, archOfNode, parseIpAddr, parseIpRoute, parseLscpu, parseMeminfo, parseOsRelease } from './linux-facts.ts';
export { parseComwarePing, parseLinuxPing, parseVrpPing } from './probe.ts';
export { parseVrpInterfaceBrief, parseVrpIpv6InterfaceBrief, parseVrpVpnInstances } from './device-parsers/vrp.ts';
export { parseComwareInterfaceBrief, parseComwareIpv6InterfaceBrief, parseComwareVpnInstances } from './device-parsers/comware.ts';
export { SshCloudProvider, type SshCloudKind, type SshCloudOptions, type SshInventory } from './ssh-cloud-provider.ts';
export { scanHostKey, type ScannedHostKey } from './host-key-scan.ts';
export {
  DEVICE_VENDORS,
  SSH_CLOUD_KINDS,
  openSshCredential,
  sshCloudProviderFor,
  sshCredentialSchema,
  type SshCloudDeps,
  type SshCredentialInput,
} from './ssh-cloud-factory.ts';
