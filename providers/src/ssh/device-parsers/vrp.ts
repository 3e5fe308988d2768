/**
 * Huawei VRP: `display interface brief`, `display ipv6 interface brief`,
 * `display ip vpn-instance`, `ping [ipv6] -c N [-vpn-instance V] HOST`.
 */
import { ParseError, toInt } from '../parse-errors.ts';
import { parseVrpPing } from '../probe.ts';
import type { DeviceInterface, DeviceIpv6Interface, VpnInstance } from '../types.ts';
import { headerIndex, linkState, lines, normaliseIpv6, parseVpnInstanceTable } from './common.ts';

export { parseVrpPing };

function percent(s: string | undefined, what: string): number | undefined {
  if (s === '--') return undefined;
  const m = /^(\d+(?:\.\d+)?)%$/.exec(s ?? '');
  if (!m) throw new ParseError(`${what}: expected a percentage, got ${JSON.stringify(s)}`);
  return Number(m[1]);
}

export function parseVrpInterfaceBrief(text: string): DeviceInterface[] {
  const ls = lines(text);
  const h = headerIndex(ls, /^Interface\s+PHY\s+Protocol\s+InUti\s+OutUti\s+inErrors\s+outErrors\s*$/, 'VRP interface brief');
  const out: DeviceInterface[] = [];
  for (const line of ls.slice(h + 1)) {
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    if (t.length !== 7) throw new ParseError(`interface row has ${t.length} fields, expected 7: ${JSON.stringify(line)}`);
    const [name = '', phy, proto, inUti, outUti, inErr, outErr] = t;
    const physical = linkState(phy);
    const protocol = linkState(proto);
    const inUtilPercent = percent(inUti, 'InUti');
    const outUtilPercent = percent(outUti, 'OutUti');
    out.push({
      name,
      physical: physical.state,
      protocol: protocol.state,
      spoofing: protocol.flags.includes('s'),
      ...(inUtilPercent !== undefined ? { inUtilPercent } : {}),
      ...(outUtilPercent !== undefined ? { outUtilPercent } : {}),
      inErrors: toInt(inErr, 'inErrors'),
      outErrors: toInt(outErr, 'outErrors'),
    });
  }
  return out;
}

export function parseVrpIpv6InterfaceBrief(text: string): DeviceIpv6Interface[] {
  const ls = lines(text);
  const h = headerIndex(ls, /^Interface\s+Physical\s+Protocol\s*$/, 'VRP IPv6 interface brief');
  const out: { name: string; physical: DeviceInterface['physical']; protocol: DeviceInterface['protocol']; addresses: string[] }[] = [];
  for (const line of ls.slice(h + 1)) {
    if (line.trim() === '') continue;
    const addr = /^\s*\[IPv6 Address\]\s+(\S+)\s*$/.exec(line);
    if (addr) {
      const current = out[out.length - 1];
      if (!current) throw new ParseError('address line before any interface');
      if ((addr[1] ?? '').toLowerCase() !== 'unassigned') current.addresses.push(normaliseIpv6(addr[1] ?? ''));
      continue;
    }
    const t = line.trim().split(/\s+/);
    if (t.length !== 3) throw new ParseError(`IPv6 interface row has ${t.length} fields, expected 3: ${JSON.stringify(line)}`);
    out.push({ name: t[0] ?? '', physical: linkState(t[1]).state, protocol: linkState(t[2]).state, addresses: [] });
  }
  return out;
}

export function parseVrpVpnInstances(text: string): VpnInstance[] {
  return parseVpnInstanceTable(text, /^\s*VPN-Instance Name\s+RD\s+Address-family\s*$/, 'VRP VPN instance', (rest, line) => {
    if (rest.length === 0 || rest.some((f) => f !== 'IPv4' && f !== 'IPv6')) throw new ParseError(`VPN instance row not understood: ${JSON.stringify(line)}`);
    return { addressFamilies: rest.map((f) => (f === 'IPv4' ? 'ipv4' : 'ipv6')) };
  });
}
