/**
 * H3C Comware 7: `display interface brief` (route- and bridge-mode sections),
 * `display ipv6 interface brief`, `display ip vpn-instance`, `ping [ipv6] -c N [-vpn-instance V] HOST`.
 */
import { isIP } from 'node:net';
import { ParseError } from '../parse-errors.ts';
import { parseComwarePing } from '../probe.ts';
import type { DeviceInterface, DeviceIpv6Interface, VpnInstance } from '../types.ts';
import { headerIndex, linkState, lines, normaliseIpv6, parseVpnInstanceTable } from './common.ts';

export { parseComwarePing };

const ROUTE_HEADER = /^Interface\s+Link\s+Protocol\s+Primary IP\s+Description\s*$/;
const BRIDGE_HEADER = /^Interface\s+Link\s+Speed\s+Duplex\s+Type\s+PVID\s+Description\s*$/;

/** Bridge-mode (layer-2) ports have no protocol column: their protocol state is their link state. */
export function parseComwareInterfaceBrief(text: string): DeviceInterface[] {
  const ls = lines(text);
  if (!ls.some((l) => ROUTE_HEADER.test(l) || BRIDGE_HEADER.test(l))) throw new ParseError('no Comware interface brief header');
  const out: DeviceInterface[] = [];
  let section: 'route' | 'bridge' | undefined;
  for (const line of ls) {
    if (ROUTE_HEADER.test(line)) section = 'route';
    else if (BRIDGE_HEADER.test(line)) section = 'bridge';
    else if (/^Brief information on interfaces/.test(line)) section = undefined;
    else if (section !== undefined && line.trim() !== '') {
      const t = line.trim().split(/\s+/);
      if (section === 'route') {
        if (t.length < 4) throw new ParseError(`route-mode row has ${t.length} fields: ${JSON.stringify(line)}`);
        const [name = '', link, proto, ip = '', ...desc] = t;
        if (ip !== '--' && isIP(ip) !== 4) throw new ParseError(`primary IP ${JSON.stringify(ip)} is not IPv4`);
        const protocol = linkState(proto);
        out.push({
          name,
          physical: linkState(link).state,
          protocol: protocol.state,
          spoofing: protocol.flags.includes('s'),
          ...(ip !== '--' ? { primaryIpv4: ip } : {}),
          ...(desc.length ? { description: desc.join(' ') } : {}),
        });
      } else {
        if (t.length < 6) throw new ParseError(`bridge-mode row has ${t.length} fields: ${JSON.stringify(line)}`);
        const [name = '', link, , , , , ...desc] = t;
        const state = linkState(link).state;
        out.push({ name, physical: state, protocol: state, spoofing: false, ...(desc.length ? { description: desc.join(' ') } : {}) });
      }
    }
  }
  return out;
}

export function parseComwareIpv6InterfaceBrief(text: string): DeviceIpv6Interface[] {
  const ls = lines(text);
  const h = headerIndex(ls, /^Interface\s+Physical\s+Protocol\s+IPv6 Address\s*$/, 'Comware IPv6 interface brief');
  const out: DeviceIpv6Interface[] = [];
  for (const line of ls.slice(h + 1)) {
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    if (t.length !== 4) throw new ParseError(`IPv6 interface row has ${t.length} fields, expected 4: ${JSON.stringify(line)}`);
    const addr = t[3] ?? '';
    if (addr !== 'Unassigned' && isIP(addr) !== 6) throw new ParseError(`${JSON.stringify(addr)} is not an IPv6 address`);
    out.push({ name: t[0] ?? '', physical: linkState(t[1]).state, protocol: linkState(t[2]).state, addresses: addr === 'Unassigned' ? [] : [normaliseIpv6(addr)] });
  }
  return out;
}

export function parseComwareVpnInstances(text: string): VpnInstance[] {
  return parseVpnInstanceTable(text, /^\s*VPN-Instance Name\s+RD\s+Create time\s*$/, 'Comware VPN instance', (rest, line) => {
    const created = rest.join(' ');
    if (!/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/.test(created)) throw new ParseError(`VPN instance row not understood: ${JSON.stringify(line)}`);
    return { createdAt: created };
  });
}
