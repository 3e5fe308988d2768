/**
 * Network devices over SSH: Huawei VRP and H3C Comware. Interfaces (IPv4 and IPv6), VPN
 * instances and probes (`ping -vpn-instance`, IPv6 ping), parsed into typed records.
 */
import type { CallOptions } from '../spi.ts';
import { ProviderError } from '../errors.ts';
import { deviceCommand, ipFamilyOf, type DeviceCommandRequest } from './command-allowlist.ts';
import { rejection } from './device-parsers/common.ts';
import { parseComwareInterfaceBrief, parseComwareIpv6InterfaceBrief, parseComwarePing, parseComwareVpnInstances } from './device-parsers/comware.ts';
import { parseVrpInterfaceBrief, parseVrpIpv6InterfaceBrief, parseVrpPing, parseVrpVpnInstances } from './device-parsers/vrp.ts';
import { garbage } from './parse-errors.ts';
import type { ProbeContext } from './probe.ts';
import { signalOf } from './ssh-host-provider.ts';
import type { SshSessionPool } from './ssh-session-pool.ts';
import type { DeviceInterface, DeviceIpv6Interface, DeviceTarget, DeviceVendor, ProbeResult, VpnInstance } from './types.ts';

interface VendorParsers {
  readonly interfaces: (text: string) => DeviceInterface[];
  readonly ipv6Interfaces: (text: string) => DeviceIpv6Interface[];
  readonly vpnInstances: (text: string) => VpnInstance[];
  readonly ping: (text: string, ctx: ProbeContext) => ProbeResult;
}

const PARSERS: Readonly<Record<DeviceVendor, VendorParsers>> = {
  'huawei-vrp': { interfaces: parseVrpInterfaceBrief, ipv6Interfaces: parseVrpIpv6InterfaceBrief, vpnInstances: parseVrpVpnInstances, ping: parseVrpPing },
  'h3c-comware': { interfaces: parseComwareInterfaceBrief, ipv6Interfaces: parseComwareIpv6InterfaceBrief, vpnInstances: parseComwareVpnInstances, ping: parseComwarePing },
};

export interface DeviceProbeRequest {
  readonly target: string;
  readonly count?: number;
  readonly vpnInstance?: string;
}

export class NetworkDeviceProvider {
  private readonly parsers: VendorParsers;

  constructor(
    private readonly pool: SshSessionPool,
    readonly target: DeviceTarget,
  ) {
    this.parsers = PARSERS[target.vendor];
  }

  interfaces(opts: CallOptions = {}): Promise<DeviceInterface[]> {
    return this.query('interfaces', { kind: 'interface-brief' }, this.parsers.interfaces, opts);
  }

  ipv6Interfaces(opts: CallOptions = {}): Promise<DeviceIpv6Interface[]> {
    return this.query('ipv6Interfaces', { kind: 'ipv6-interface-brief' }, this.parsers.ipv6Interfaces, opts);
  }

  vpnInstances(opts: CallOptions = {}): Promise<VpnInstance[]> {
    return this.query('vpnInstances', { kind: 'vpn-instances' }, this.parsers.vpnInstances, opts);
  }

  async probe(req: DeviceProbeRequest, opts: CallOptions = {}): Promise<ProbeResult> {
    const family = ipFamilyOf(req.target, 'probe');
    const count = req.count ?? 3;
    const ctx: ProbeContext = { target: req.target, family, ...(req.vpnInstance !== undefined ? { vpnInstance: req.vpnInstance } : {}) };
    const cmd: DeviceCommandRequest = { kind: 'ping', target: req.target, count, ...(req.vpnInstance !== undefined ? { vpnInstance: req.vpnInstance } : {}) };
    // Devices wait up to 2 s per unanswered echo by default.
    return this.query('probe', cmd, (t) => this.parsers.ping(t, ctx), opts, (count * 2 + 5) * 1000);
  }

  private async query<T>(op: string, req: DeviceCommandRequest, parse: (text: string) => T, opts: CallOptions, timeoutMs?: number): Promise<T> {
    const cmd = deviceCommand(this.target.vendor, req);
    const execOpts = { op, ...signalOf(opts), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    const res = this.target.session === 'shell' ? await this.pool.execInShell(this.target, cmd, this.target.vendor, execOpts) : await this.pool.exec(this.target, cmd, execOpts);
    const text = res.stdout + (res.stderr ? `\n${res.stderr}` : '');
    const refused = rejection(text);
    if (refused !== undefined) {
      throw new ProviderError({ provider: this.pool.provider, op, code: 'invalid', reason: 'command-rejected', message: `${this.pool.provider}: ${op} on ${this.target.id}: the device refused the command: ${refused}` });
    }
    try {
      return parse(res.stdout);
    } catch (e) {
      throw garbage(this.pool.provider, op, `${this.target.vendor} output`, e);
    }
  }
}
