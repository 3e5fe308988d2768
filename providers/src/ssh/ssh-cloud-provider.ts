/**
 * An SSH-managed Linux host or network device seen as a cloud of the federation: the Provider
 * SPI for what the federation does with every cloud (connect, health, capacity, network facts),
 * plus `inventory()` (host facts; device interfaces and VPN instances) and `probe()`.
 * Tenant spaces and resources cannot be provisioned on such a cloud: those calls are refused
 * as `invalid` / `unsupported-kind`, and `capabilities.resourceKinds` is empty, so the
 * control plane never plans onto it.
 */
import { ProviderError } from '../errors.ts';
import type { ProviderFeatures } from '../features.ts';
import { CPU_VENDORS, PROVIDER_API_VERSION, type CallOptions, type CpuPlatform, type CpuVendor, type CapacityReport, type ConnectInfo, type HealthReport, type InventoryPage, type NetworkFacts, type KeyObservation, type Observation, type Provider, type ReplicationLink } from '../spi.ts';
import { linuxCommand } from './command-allowlist.ts';
import type { HostKeyChangedAlarm, KnownHosts } from './host-keys.ts';
import { NetworkDeviceProvider, type DeviceProbeRequest } from './network-device-provider.ts';
import { SshHostProvider, signalOf } from './ssh-host-provider.ts';
import { SshSessionPool, type SshSessionPoolOptions } from './ssh-session-pool.ts';
import type { DeviceInterface, DeviceIpv6Interface, DeviceTarget, DeviceVendor, LinuxFacts, ProbeResult, SshTarget, VpnInstance } from './types.ts';

export type SshCloudKind = 'ssh-host' | 'network-device';

export interface SshCloudOptions {
  readonly cloudId: string;
  readonly kind: SshCloudKind;
  /** For a network device, `vendor` is required. */
  readonly target: SshTarget & { readonly vendor?: DeviceVendor; readonly session?: 'exec' | 'shell' };
  readonly knownHosts: KnownHosts;
  readonly onHostKeyChanged?: (alarm: HostKeyChangedAlarm) => void;
  readonly region?: string;
  /** Pool tuning (timeouts, per-device concurrency). */
  readonly pool?: Omit<Partial<SshSessionPoolOptions>, 'provider' | 'knownHosts' | 'onHostKeyChanged'>;
}

/** What an inventory read returns: typed records, whole or not at all. */
export type SshInventory =
  | { readonly kind: 'ssh-host'; readonly facts: LinuxFacts }
  | {
      readonly kind: 'network-device';
      readonly vendor: DeviceVendor;
      readonly interfaces: readonly DeviceInterface[];
      readonly ipv6Interfaces: readonly DeviceIpv6Interface[];
      readonly vpnInstances: readonly VpnInstance[];
    };

export class SshCloudProvider implements Provider {
  readonly cloudId: string;
  readonly kind: SshCloudKind;
  private readonly pool: SshSessionPool;
  private readonly host?: SshHostProvider;
  private readonly device?: NetworkDeviceProvider;
  /** Device inventory, probes and host-key sessions (features.ts). */
  readonly features: ProviderFeatures;

  constructor(private readonly opts: SshCloudOptions) {
    this.cloudId = opts.cloudId;
    this.kind = opts.kind;
    this.features = {
      deviceInventory: { host: opts.target.host, inventory: (o) => this.inventory(o) },
      probe: { probe: (req, o) => this.probe(req, o) },
      hostKeys: { host: opts.target.host, port: opts.target.port ?? 22, evict: () => this.evict() },
    };
    this.pool = new SshSessionPool({
      ...opts.pool,
      provider: opts.cloudId,
      knownHosts: opts.knownHosts,
      ...(opts.onHostKeyChanged ? { onHostKeyChanged: opts.onHostKeyChanged } : {}),
    });
    if (opts.kind === 'network-device') {
      if (opts.target.vendor === undefined) throw this.unsupported('construct', 'a network device needs a vendor (huawei-vrp or h3c-comware)');
      this.device = new NetworkDeviceProvider(this.pool, { ...opts.target, vendor: opts.target.vendor } as DeviceTarget);
    } else {
      this.host = new SshHostProvider(this.pool, opts.target);
    }
  }

  get target(): SshTarget {
    return this.opts.target;
  }

  /** Reads the inventory once: proves the credentials, the host key and that the answers parse. */
  async connect(opts: CallOptions = {}): Promise<ConnectInfo> {
    const inv = await this.inventory(opts);
    return {
      cloudId: this.cloudId,
      providerKind: this.kind,
      apiVersion: PROVIDER_API_VERSION,
      ...(this.opts.region !== undefined ? { region: this.opts.region } : {}),
      capabilities: {
        resourceKinds: [],
        tenantSpaceKind: 'project',
        platforms: platformOf(inv),
        zones: [this.zone],
        images: [],
        replication: { supported: false, modes: [] },
        networkFacts: true,
        incrementalInventory: false,
        maxPageSize: 1,
      },
    };
  }

  async inventory(opts: CallOptions = {}): Promise<SshInventory> {
    if (this.host) return { kind: 'ssh-host', facts: await this.host.facts(opts) };
    const d = this.device!;
    // One after the other: devices allow few VTY sessions and the pool limits channels anyway.
    const interfaces = await d.interfaces(opts);
    const ipv6Interfaces = await d.ipv6Interfaces(opts);
    const vpnInstances = await d.vpnInstances(opts);
    return { kind: 'network-device', vendor: d.target.vendor, interfaces, ipv6Interfaces, vpnInstances };
  }

  /** `ping` / `ping -6` on a host; `ping [ipv6] [-vpn-instance X]` on a device. */
  probe(req: DeviceProbeRequest, opts: CallOptions = {}): Promise<ProbeResult> {
    if (this.host) {
      if (req.vpnInstance !== undefined) return Promise.reject(this.unsupported('probe', 'VPN instances exist only on network devices'));
      return this.host.probe({ target: req.target, ...(req.count !== undefined ? { count: req.count } : {}) }, opts);
    }
    return this.device!.probe(req, opts);
  }

  /** One cheap allow-listed command: the session (host key, credentials) and the shell answer. */
  async health(opts: CallOptions = {}): Promise<HealthReport> {
    let status: 'ok' | 'degraded' = 'ok';
    if (this.host) {
      const res = await this.pool.exec(this.opts.target, linuxCommand({ kind: 'uname-machine' }), { op: 'health', ...signalOf(opts) });
      if (res.exitCode !== 0) status = 'degraded';
    } else {
      await this.device!.vpnInstances(opts); // exec or shell, as the device is configured; the answer must parse
    }
    return { status, zones: [{ zone: this.zone, status }], checkedAt: new Date().toISOString() };
  }

  /** A managed host or device is not a capacity pool Ganyun places onto. */
  async capacity(): Promise<CapacityReport> {
    return { cloudId: this.cloudId, pools: [] };
  }

  async replicationLinks(): Promise<readonly ReplicationLink[]> {
    return [];
  }

  async networkFacts(opts: CallOptions = {}): Promise<NetworkFacts> {
    const inv = await this.inventory(opts);
    const v6 = inv.kind === 'ssh-host' ? inv.facts.interfaces.flatMap((i) => i.ipv6).filter((a) => a.scope === 'global').length : inv.ipv6Interfaces.filter((i) => i.addresses.length > 0).length;
    return { extranetPlanes: [], ipv4Pools: [], ipv6Prefixes: [], ipv6Ready: v6 > 0, segments: 0 };
  }

  listInventory(): Promise<InventoryPage> {
    return Promise.reject(this.unsupported('listInventory', 'an SSH-managed cloud is read with inventory() (facts, interfaces, VPN instances)'));
  }

  /** An SSH-managed cloud refuses every tenant-space and resource mutation, so no key was ever applied. */
  observeByKey(): Promise<KeyObservation> {
    return Promise.resolve({ status: 'not-applied', refusal: { code: 'invalid', message: `${this.cloudId}: tenant spaces and resources are not managed over SSH` } });
  }

  observeTenantSpace(): Promise<Observation<never>> {
    return Promise.reject(this.unsupported('observeTenantSpace'));
  }
  createTenantSpace(): Promise<never> {
    return Promise.reject(this.unsupported('createTenantSpace'));
  }
  updateTenantSpace(): Promise<never> {
    return Promise.reject(this.unsupported('updateTenantSpace'));
  }
  deleteTenantSpace(): Promise<never> {
    return Promise.reject(this.unsupported('deleteTenantSpace'));
  }
  observeResource(): Promise<Observation<never>> {
    return Promise.reject(this.unsupported('observeResource'));
  }
  createResource(): Promise<never> {
    return Promise.reject(this.unsupported('createResource'));
  }
  updateResource(): Promise<never> {
    return Promise.reject(this.unsupported('updateResource'));
  }
  deleteResource(): Promise<never> {
    return Promise.reject(this.unsupported('deleteResource'));
  }

  /** Drops the pooled session (e.g. after the admin re-accepted a key). */
  evict(): void {
    this.pool.evict(this.opts.target);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private get zone(): string {
    return `${this.cloudId}-main`;
  }

  private unsupported(op: string, why = 'an SSH-managed host or device holds no tenant spaces or resources'): ProviderError {
    return new ProviderError({ provider: this.cloudId, op, code: 'invalid', reason: 'unsupported-kind', message: `${this.cloudId}: ${op}: ${why}` });
  }
}

/** A host whose arch and CPU vendor Ganyun knows is one platform; a device is none. */
function platformOf(inv: SshInventory): CpuPlatform[] {
  if (inv.kind !== 'ssh-host') return [];
  const { arch } = inv.facts;
  const vendor = CPU_VENDORS.find((v): v is CpuVendor => v === inv.facts.cpu.vendor);
  return arch !== undefined && vendor !== undefined ? [{ arch, vendor }] : [];
}
