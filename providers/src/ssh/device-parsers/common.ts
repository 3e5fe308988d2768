/** What VRP and Comware output have in common: link-state words, rejections, table rows. */
import { ParseError } from '../parse-errors.ts';
import type { LinkState, VpnInstance } from '../types.ts';

/** `up`, `down`, `*down` / `ADM` (admin down), `^down` / `Stby` (standby), with `(s)`-style flags. */
export function linkState(word: string | undefined): { state: LinkState; flags: string[] } {
  if (word === undefined) throw new ParseError('missing link state');
  const m = /^([*^]?)([A-Za-z]+)((?:\([A-Za-z]+\))*)$/.exec(word);
  if (!m) throw new ParseError(`unknown link state ${JSON.stringify(word)}`);
  const flags = [...(m[3] ?? '').matchAll(/\(([A-Za-z]+)\)/g)].map((f) => f[1] ?? '');
  const w = (m[2] ?? '').toLowerCase();
  if (m[1] === '*' && w === 'down') return { state: 'admin-down', flags };
  if (m[1] === '^' && w === 'down') return { state: 'standby', flags };
  if (m[1] !== '') throw new ParseError(`unknown link state ${JSON.stringify(word)}`);
  if (w === 'up' || w === 'down') return { state: w, flags };
  if (w === 'adm') return { state: 'admin-down', flags };
  if (w === 'stby') return { state: 'standby', flags };
  throw new ParseError(`unknown link state ${JSON.stringify(word)}`);
}

/** The device refused the command (`Error: Unrecognized command…`, `% Unrecognized command…`). */
export function rejection(text: string): string | undefined {
  const m = /^\s*(?:Error:|%)\s*((?:Unrecognized|Incomplete|Too many|Wrong|Ambiguous|Unknown)[^\n]*)/im.exec(text);
  return m ? (m[1] ?? '').trim() : undefined;
}

export function lines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/** Index of the first line matching the header, or a ParseError naming what was expected. */
export function headerIndex(ls: readonly string[], header: RegExp, what: string): number {
  const i = ls.findIndex((l) => header.test(l));
  if (i < 0) throw new ParseError(`no ${what} header`);
  return i;
}

export function normaliseIpv6(s: string): string {
  return s.toLowerCase();
}

/** `Total VPN-Instances configured : N` when printed; checked against the rows (a cut table). */
export function declaredTotal(text: string): number | undefined {
  const m = /Total VPN-Instances configured\s*:\s*(\d+)/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

export const RD = /^(?:\d{1,10}|\d{1,3}(?:\.\d{1,3}){3}):\d{1,10}$/;

/**
 * The VPN instance table both vendors print: an optional declared total (0: no table at all), a header row, then
 * one row per instance: its name, its RD when it has one, then vendor columns that `rest` turns into the rest of
 * the instance (or refuses with a ParseError). A declared total that differs from the rows listed is refused.
 */
export function parseVpnInstanceTable(
  text: string,
  header: RegExp,
  what: string,
  rest: (fields: string[], line: string) => Omit<VpnInstance, 'name' | 'rd'>,
): VpnInstance[] {
  const ls = lines(text);
  const total = declaredTotal(text);
  if (total === 0) return [];
  const h = headerIndex(ls, header, what);
  const out: VpnInstance[] = [];
  for (const line of ls.slice(h + 1)) {
    if (line.trim() === '') continue;
    const t = line.trim().split(/\s+/);
    const name = t.shift() ?? '';
    const rd = t[0] !== undefined && RD.test(t[0]) ? t.shift() : undefined;
    out.push({ name, ...(rd !== undefined ? { rd } : {}), ...rest(t, line) });
  }
  if (total !== undefined && total !== out.length) throw new ParseError(`device declares ${total} VPN instances but lists ${out.length}`);
  return out;
}
