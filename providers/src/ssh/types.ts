/**
 * Shared types of the SSH provider: targets, credentials (already opened by the control
 * plane, never logged), and the typed records the parsers produce.
 */

/** Credentials arrive opened; the control plane keeps them sealed at rest. Never log them. */
export type SshCredential =
  | { readonly type: 'password'; readonly password: string }
  | { readonly type: 'key'; readonly privateKey: string | Buffer; readonly passphrase?: string };

export interface SshTarget {
  /** Stable id of the host or device in Ganyun (used in errors and as the pool key). */
  readonly id: string;
  readonly host: string;
  readonly port?: number;
  readonly username: string;
  readonly credential: SshCredential;
}

export type DeviceVendor = 'huawei-vrp' | 'h3c-comware';

export interface DeviceTarget extends SshTarget {
  readonly vendor: DeviceVendor;
  /**
   * How commands reach the device: `exec` channels, or an interactive `shell` (prompt, paging off, command,
   * prompt), which many VRP / Comware VTYs require. Default `exec`.
   */
  readonly session?: 'exec' | 'shell';
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status the server reported (always present: a missing one is a truncation). */
  readonly exitCode: number;
}

// ---------------------------------------------------------------- probes

export interface ProbeResult {
  readonly target: string;
  readonly family: 4 | 6;
  readonly vpnInstance?: string;
  readonly transmitted: number;
  readonly received: number;
  readonly lossPercent: number;
  /** Round-trip times in milliseconds; absent when nothing came back. */
  readonly rttMs?: { readonly min: number; readonly avg: number; readonly max: number };
  readonly reachable: boolean;
}

// ---------------------------------------------------------------- network devices

/** `*down` is administratively down, `^down` standby (VRP), `ADM`/`Stby` (Comware). */
export type LinkState = 'up' | 'down' | 'admin-down' | 'standby';

export interface DeviceInterface {
  readonly name: string;
  readonly physical: LinkState;
  readonly protocol: LinkState;
  /** Protocol state is spoofed (`(s)`): loopbacks, NULL0. */
  readonly spoofing: boolean;
  /** Comware route-mode rows show the primary IPv4 address. */
  readonly primaryIpv4?: string;
  readonly description?: string;
  /** VRP: input/output utilisation percent and error counters. */
  readonly inUtilPercent?: number;
  readonly outUtilPercent?: number;
  readonly inErrors?: number;
  readonly outErrors?: number;
}

export interface DeviceIpv6Interface {
  readonly name: string;
  readonly physical: LinkState;
  readonly protocol: LinkState;
  /** Global/ULA addresses as printed (lower-cased); empty when unassigned. */
  readonly addresses: readonly string[];
}

export interface VpnInstance {
  readonly name: string;
  /** Route distinguisher, e.g. `100:1`; absent when none is configured. */
  readonly rd?: string;
  readonly addressFamilies?: readonly ('ipv4' | 'ipv6')[];
  /** Comware: `Create time` as printed. */
  readonly createdAt?: string;
}

// ---------------------------------------------------------------- linux facts

export interface OsRelease {
  readonly id: string;
  readonly idLike: readonly string[];
  readonly name?: string;
  readonly versionId?: string;
  readonly prettyName?: string;
  /** True for the domestic (Xinchuang) distributions: Kylin, UOS / Deepin, openEuler. */
  readonly xinchuang: boolean;
}

export interface IpAddress {
  readonly address: string;
  readonly prefixLength: number;
  readonly scope?: string;
}

export interface HostInterface {
  readonly name: string;
  readonly up: boolean;
  readonly mac?: string;
  readonly ipv4: readonly IpAddress[];
  readonly ipv6: readonly IpAddress[];
}

export interface HostRoute {
  readonly family: 4 | 6;
  /** `default` or a CIDR. */
  readonly dst: string;
  readonly gateway?: string;
  readonly dev?: string;
  readonly metric?: number;
}

export interface CpuFacts {
  readonly count: number;
  readonly model?: string;
  /** Ganyun's vendor name (`intel`, `amd`, `hygon`, `kunpeng`, `phytium`, `loongson`) when known. */
  readonly vendor?: string;
}

export interface LinuxFacts {
  readonly os: OsRelease;
  /** `uname -m` as printed. */
  readonly machine: string;
  /** Ganyun's arch name, when the machine is one Ganyun places on. */
  readonly arch?: 'x86_64' | 'arm64' | 'loongarch64';
  readonly cpu: CpuFacts;
  readonly memory: { readonly totalBytes: number; readonly availableBytes?: number };
  readonly interfaces: readonly HostInterface[];
  readonly routes: readonly HostRoute[];
}
