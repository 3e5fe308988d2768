/**
 * Parsers for Linux host facts (Debian, Kylin, UOS, openEuler …): /etc/os-release,
 * `uname -m`, `nproc`, `lscpu`, /proc/meminfo, `ip -j addr`, `ip -j route`.
 * Each throws ParseError on anything that is not the documented format.
 */
import { isIP } from 'node:net';
import { ParseError, toInt } from './parse-errors.ts';
import type { CpuFacts, HostInterface, HostRoute, IpAddress, LinuxFacts, OsRelease } from './types.ts';

const XINCHUANG_OS = new Set(['kylin', 'neokylin', 'uos', 'deepin', 'openeuler', 'anolis']);

export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) throw new ParseError(`os-release line not understood: ${JSON.stringify(line).slice(0, 80)}`);
    let v = m[2] ?? '';
    const q = /^(["'])(.*)\1$/.exec(v);
    if (q) v = (q[2] ?? '').replace(/\\(["'$`\\])/g, '$1');
    fields.set(m[1] ?? '', v);
  }
  const id = (fields.get('ID') ?? '').toLowerCase();
  if (id === '') throw new ParseError('os-release has no ID');
  const idLike = (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const opt = (k: string, name: 'name' | 'versionId' | 'prettyName') => (fields.has(k) ? { [name]: fields.get(k) } : {});
  return { id, idLike, ...opt('NAME', 'name'), ...opt('VERSION_ID', 'versionId'), ...opt('PRETTY_NAME', 'prettyName'), xinchuang: XINCHUANG_OS.has(id) };
}

export function parseUnameMachine(text: string): string {
  const m = text.trim();
  if (!/^[a-z0-9_]+$/.test(m)) throw new ParseError(`uname -m answered ${JSON.stringify(m).slice(0, 40)}`);
  return m;
}

/** Ganyun's arch for a `uname -m` value (aarch64 is `arm64`; Hygon is x86_64). */
export function archOfMachine(machine: string): LinuxFacts['arch'] {
  if (machine === 'x86_64') return 'x86_64';
  if (machine === 'aarch64' || machine === 'arm64') return 'arm64';
  if (machine === 'loongarch64') return 'loongarch64';
  return undefined;
}

/** Ganyun's arch for node:os `arch()` (x64, arm64, loong64). */
export function archOfNode(nodeArch: string): LinuxFacts['arch'] {
  return ({ x64: 'x86_64', arm64: 'arm64', loong64: 'loongarch64' } as Record<string, LinuxFacts['arch']>)[nodeArch];
}

export function parseNproc(text: string): number {
  const n = toInt(text.trim(), 'nproc');
  if (n < 1) throw new ParseError('nproc answered 0');
  return n;
}

const VENDORS: Record<string, string> = {
  GenuineIntel: 'intel',
  AuthenticAMD: 'amd',
  HygonGenuine: 'hygon',
  HiSilicon: 'kunpeng',
  Phytium: 'phytium',
  Loongson: 'loongson',
};

/** `LC_ALL=C lscpu`: vendor and model (indentation varies between util-linux versions). */
export function parseLscpu(text: string, count: number): CpuFacts {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([^:]+):\s*(.*)$/.exec(line);
    if (m && !kv.has((m[1] ?? '').trim())) kv.set((m[1] ?? '').trim(), (m[2] ?? '').trim());
  }
  if (!kv.has('Architecture')) throw new ParseError('lscpu output has no Architecture');
  const vendorId = kv.get('Vendor ID');
  const model = kv.get('Model name');
  const vendor = vendorId !== undefined ? VENDORS[vendorId] : undefined;
  return { count, ...(model ? { model } : {}), ...(vendor ? { vendor } : {}) };
}

export function parseMeminfo(text: string): LinuxFacts['memory'] {
  const kb = (key: string): number | undefined => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const totalBytes = kb('MemTotal');
  if (totalBytes === undefined) throw new ParseError('no MemTotal in /proc/meminfo');
  const availableBytes = kb('MemAvailable');
  return { totalBytes, ...(availableBytes !== undefined ? { availableBytes } : {}) };
}

function json(text: string, what: string): unknown[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ParseError(`${what} is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!Array.isArray(v)) throw new ParseError(`${what} is not a JSON array`);
  return v;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseIpAddr(text: string): HostInterface[] {
  return json(text, 'ip -j addr').map((link) => {
    if (!isObj(link) || typeof link['ifname'] !== 'string') throw new ParseError('ip -j addr: link without ifname');
    const flags = Array.isArray(link['flags']) ? link['flags'] : [];
    const infos = Array.isArray(link['addr_info']) ? link['addr_info'] : [];
    const ipv4: IpAddress[] = [];
    const ipv6: IpAddress[] = [];
    for (const a of infos) {
      if (!isObj(a)) throw new ParseError('ip -j addr: bad addr_info');
      const local = a['local'];
      const prefix = a['prefixlen'];
      if (typeof local !== 'string' || typeof prefix !== 'number') throw new ParseError('ip -j addr: address without local/prefixlen');
      const entry: IpAddress = { address: local, prefixLength: prefix, ...(typeof a['scope'] === 'string' ? { scope: a['scope'] } : {}) };
      if (a['family'] === 'inet' && isIP(local) === 4) ipv4.push(entry);
      else if (a['family'] === 'inet6' && isIP(local) === 6) ipv6.push(entry);
    }
    const mac = link['address'];
    return {
      name: link['ifname'],
      up: flags.includes('UP'),
      ...(typeof mac === 'string' && link['link_type'] === 'ether' ? { mac } : {}),
      ipv4,
      ipv6,
    };
  });
}

export function parseIpRoute(text: string, family: 4 | 6): HostRoute[] {
  return json(text, `ip -j -${family} route`).map((r) => {
    if (!isObj(r) || typeof r['dst'] !== 'string') throw new ParseError('ip -j route: route without dst');
    return {
      family,
      dst: r['dst'],
      ...(typeof r['gateway'] === 'string' ? { gateway: r['gateway'] } : {}),
      ...(typeof r['dev'] === 'string' ? { dev: r['dev'] } : {}),
      ...(typeof r['metric'] === 'number' ? { metric: r['metric'] } : {}),
    };
  });
}
