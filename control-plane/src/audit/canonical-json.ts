/**
 * JSON canonicalisation in the manner of RFC 8785 (JCS) for the values an audit record holds: object keys
 * sorted by UTF-16 code units, no whitespace, primitives as JSON.stringify writes them (which is
 * ECMAScript number serialisation, the form JCS prescribes). Needed because jsonb reorders keys.
 * (The `canonicalize` package does the same but its Node 20-compatible release is CommonJS with
 * mismatched typings; this is the whole algorithm for JSON-safe input.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
