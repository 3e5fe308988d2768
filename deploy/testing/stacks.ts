import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * The example stacks of deploy/stacks, read as Pulumi hands them to the program: `ganyun:` keys, scalars
 * as strings, structured values as JSON. Their `secure:` values are ciphertext only the Pulumi CLI can
 * open: the specs put these known test secrets in their place.
 */
export const KEY = '0123456789abcdef'.repeat(4);
export const DB_URL = 'postgres://ganyun:s3cret-pass@pg.ganzhou.internal:5432/ganyun';
export const METRICS_TOKEN = 'scrape-token-0123456789abcdef';
const TEST_SECRETS: Record<string, string> = { secretKey: KEY, 'database.url': DB_URL, metricsToken: METRICS_TOKEN };

export type RawStack = Record<string, string>;

export function exampleStack(name: 'province' | 'city'): RawStack {
  const file = fileURLToPath(new URL(`../stacks/Pulumi.${name}.yaml`, import.meta.url));
  const config = (parse(readFileSync(file, 'utf8')) as { config: Record<string, unknown> }).config;
  const out: RawStack = {};
  for (const [fullKey, value] of Object.entries(config)) {
    const key = fullKey.replace(/^ganyun:/, '');
    const plain = unseal(value, key);
    out[key] = typeof plain === 'object' ? JSON.stringify(plain) : String(plain);
  }
  return out;
}

function unseal(value: unknown, path: string): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if ('secure' in value) {
      const secret = TEST_SECRETS[path];
      if (secret === undefined) throw new Error(`no test secret for ${path}`);
      return secret;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unseal(v, `${path}.${k}`)]));
  }
  return value;
}

export const reader = (stack: RawStack) => (key: string): string | undefined => stack[key];
