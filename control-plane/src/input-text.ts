/**
 * One canonical encoding (issue 19.3): text the API accepts is well-formed Unicode without NUL. A lone UTF-16
 * surrogate cannot be stored as UTF-8 (PostgreSQL writes U+FFFD or refuses the JSON), and NUL cannot be stored
 * at all; letting either through made the audit chain hash one text and store another, and gave 5xx answers
 * quoting the database. The check runs once, for every procedure, on the raw input (trpc.ts), keys included.
 */
export function illFormedTextPath(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return isCanonicalText(value) ? null : path.join('.') || '(input)';
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = illFormedTextPath(value[i], [...path, String(i)], depth + 1);
      if (hit !== null) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isCanonicalText(k)) return [...path, '(key)'].join('.');
    const hit = illFormedTextPath(v, [...path, k], depth + 1);
    if (hit !== null) return hit;
  }
  return null;
}

/** A UTF-16 surrogate without its partner, or NUL. */
const NOT_STORABLE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g;

export function isCanonicalText(s: string): boolean {
  NOT_STORABLE.lastIndex = 0;
  return !NOT_STORABLE.test(s);
}

/** The stored form of text the server itself produces (error messages, provider answers): U+FFFD for what cannot be stored. */
export function canonicalText(s: string): string {
  return s.replace(NOT_STORABLE, '\uFFFD');
}
