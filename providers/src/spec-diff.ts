/**
 * Field-level comparison of desired and observed specs, for `Observation.diff`.
 * Only fields the desired spec states are compared: an unstated optional field means
 * "don't care", so a cloud that fills in defaults (zone, vendor) is still up to date.
 */
import type { FieldDiff } from './spi.ts';

export function diffSpecs(desired: unknown, actual: unknown, path = ''): FieldDiff[] {
  if (desired === undefined) return [];
  if (isPlainObject(desired) && isPlainObject(actual)) {
    const out: FieldDiff[] = [];
    for (const key of Object.keys(desired).sort()) {
      out.push(...diffSpecs(desired[key], actual[key], path ? `${path}.${key}` : key));
    }
    return out;
  }
  if (stableStringify(desired) === stableStringify(actual)) return [];
  return [{ path: path || '.', desired, actual }];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys, so equal requests fingerprint equally whatever their key order. */
export function stableStringify(v: unknown): string {
  if (v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
