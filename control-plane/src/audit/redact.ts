import { canonicalText } from '../input-text.ts';

/** Every string of a record (keys too) in the form the database stores, so the hash covers the stored bytes. */
export function storableText(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return canonicalText(value);
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => storableText(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [canonicalText(k), storableText(v, depth + 1)]));
}

/**
 * Audit summaries never carry secrets: any key that looks like one is replaced before the record
 * is hashed and stored, at any depth.
 */
const SECRET_KEY = /pass(word)?|secret|token|credential|private.?key|authorization/i;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v, depth + 1)]),
  );
}
