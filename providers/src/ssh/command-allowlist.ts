/**
 * The only commands Ganyun runs over SSH. They are built from typed requests, never from
 * free text: every argument is validated (IP literals with node:net isIP, VPN names by
 * regex, counts as small integers), and the session pool accepts only an `AllowedCommand`,
 * which nothing outside this module can construct.
 */
import { isIP } from 'node:net';
import { ProviderError } from '../errors.ts';
import type { DeviceVendor } from './types.ts';

const brand: unique symbol = Symbol('AllowedCommand');

export interface AllowedCommand {
  readonly text: string;
  readonly [brand]: true;
}

function allowed(text: string): AllowedCommand {
  return Object.freeze({ text, [brand]: true as const });
}

export function isAllowedCommand(c: unknown): c is AllowedCommand {
  return typeof c === 'object' && c !== null && (c as { [brand]?: unknown })[brand] === true;
}

export type LinuxCommandRequest =
  | { readonly kind: 'os-release' }
  | { readonly kind: 'uname-machine' }
  | { readonly kind: 'nproc' }
  | { readonly kind: 'lscpu' }
  | { readonly kind: 'meminfo' }
  | { readonly kind: 'ip-addr' }
  | { readonly kind: 'ip-route'; readonly family: 4 | 6 }
  | { readonly kind: 'ping'; readonly target: string; readonly count: number };

export type DeviceCommandRequest =
  | { readonly kind: 'interface-brief' }
  | { readonly kind: 'ipv6-interface-brief' }
  | { readonly kind: 'vpn-instances' }
  | { readonly kind: 'ping'; readonly target: string; readonly count: number; readonly vpnInstance?: string };

/** VRP and Comware VPN instance names: 1–31 characters, no spaces; we allow a safe subset. */
export const VPN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$/;
export const MAX_PING_COUNT = 10;

function invalid(op: string, message: string): ProviderError {
  return new ProviderError({ provider: 'ssh', op, code: 'invalid', reason: 'invalid-argument', message: `ssh: ${op}: ${message}` });
}

/** Returns 4 or 6 for an IP literal; throws `invalid` for anything else (host names included). */
export function ipFamilyOf(target: unknown, op = 'probe'): 4 | 6 {
  if (typeof target !== 'string') throw invalid(op, 'probe target must be an IP literal');
  const family = isIP(target);
  if (family !== 4 && family !== 6) throw invalid(op, `probe target ${JSON.stringify(target).slice(0, 64)} is not an IP literal`);
  return family;
}

function checkCount(count: unknown, op: string): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_PING_COUNT) {
    throw invalid(op, `count must be an integer from 1 to ${MAX_PING_COUNT}`);
  }
  return count;
}

function checkVpn(name: unknown, op: string): string {
  if (typeof name !== 'string' || !VPN_NAME.test(name)) throw invalid(op, 'VPN instance name is not valid');
  return name;
}

/** Fixed locale so that lscpu and friends print English keys on zh_CN Kylin / UOS. */
const C = 'LC_ALL=C ';

export function linuxCommand(req: LinuxCommandRequest): AllowedCommand {
  switch (req.kind) {
    case 'os-release':
      return allowed('cat /etc/os-release');
    case 'uname-machine':
      return allowed('uname -m');
    case 'nproc':
      return allowed('nproc');
    case 'lscpu':
      return allowed(`${C}lscpu`);
    case 'meminfo':
      return allowed('cat /proc/meminfo');
    case 'ip-addr':
      return allowed('ip -j addr show');
    case 'ip-route':
      return allowed(req.family === 6 ? 'ip -j -6 route show' : 'ip -j -4 route show');
    case 'ping': {
      const family = ipFamilyOf(req.target);
      const count = checkCount(req.count, 'probe');
      return allowed(`${C}ping ${family === 6 ? '-6 ' : ''}-n -q -c ${count} -i 0.2 -W 2 ${req.target}`);
    }
    default:
      throw invalid('command', `unknown command kind ${String((req as { kind?: unknown }).kind)}`);
  }
}

export function deviceCommand(vendor: DeviceVendor, req: DeviceCommandRequest): AllowedCommand {
  switch (req.kind) {
    case 'interface-brief':
      return allowed('display interface brief');
    case 'ipv6-interface-brief':
      return allowed('display ipv6 interface brief');
    case 'vpn-instances':
      return allowed('display ip vpn-instance');
    case 'ping': {
      const family = ipFamilyOf(req.target);
      const count = checkCount(req.count, 'probe');
      const vpn = req.vpnInstance === undefined ? '' : ` -vpn-instance ${checkVpn(req.vpnInstance, 'probe')}`;
      // Both vendors: `ping [ipv6] -c COUNT [-vpn-instance NAME] HOST`.
      void vendor;
      return allowed(`ping${family === 6 ? ' ipv6' : ''} -c ${count}${vpn} ${req.target}`);
    }
    default:
      throw invalid('command', `unknown command kind ${String((req as { kind?: unknown }).kind)}`);
  }
}
