/** Pure helpers for the IPAM views (no Angular): row errors of an import, sizes, utilisation colours. */
import type { FieldProblem, Problem } from '../../core/api-error';

export interface ImportRowError {
  row: number;
  column: string;
  /** Translated where it is shown (`| problemText`). */
  problem: Problem;
}

/** The server reports a refused import as issues at `rows.<row>.<column>`; the table wants rows. */
export function importRowErrors(fields: readonly FieldProblem[]): ImportRowError[] {
  const out: ImportRowError[] = [];
  for (const { path, problem } of fields) {
    const m = /^rows\.(\d+)\.(.+)$/.exec(path);
    if (m) out.push({ row: Number(m[1]), column: m[2]!, problem });
  }
  return out.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
}

/**
 * An address count as people read it: exact up to a million, then as a power of two when it is one
 * (an IPv6 /64 holds 2^64), else in scientific form. Sizes arrive as decimal strings (BigInt on the server).
 */
export function sizeText(decimal: string): string {
  const n = BigInt(decimal);
  if (n < 1_000_000n) return n.toLocaleString('en-US');
  if ((n & (n - 1n)) === 0n) return `2^${n.toString(2).length - 1}`;
  const digits = n.toString();
  return `${digits[0]}.${digits.slice(1, 3)}e${digits.length - 1}`;
}

/** Progress bar status: red when nearly full, the usual colour otherwise. */
export function utilisationStatus(percent: number): 'exception' | 'normal' | 'success' {
  if (percent >= 90) return 'exception';
  if (percent === 0) return 'normal';
  return 'success';
}

/** The prefix length of a CIDR text. */
export const prefixLength = (cidr: string): number => Number(cidr.split('/')[1]);
export const maxLength = (cidr: string): number => (cidr.includes(':') ? 128 : 32);
