import { z } from 'zod';

/**
 * Secrets by pattern, for text we did not write ourselves (a provider's or a library's error message, a
 * log line): a password in a URL's user-info, a bearer token, a secret-named query parameter or
 * `key=value` pair. Field-name redaction (audit/redact.ts, the logger's paths) covers structured data;
 * this covers free text. Both are defence in depth: the schemas below keep credentials out of URLs and
 * headers in the first place, so a refused connection has nothing to quote.
 */
const SECRET_NAME = '(?:access[_-]?token|api[_-]?key|auth[_-]?token|token|password|passwd|pwd|secret|client[_-]?secret|passphrase)';
const PATTERNS: [RegExp, string][] = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']*@/gi, '$1[redacted]@'],
  [/\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, '$1 [redacted]'],
  [new RegExp(`([?&;]${SECRET_NAME}=)[^&\\s#"']+`, 'gi'), '$1[redacted]'],
  [new RegExp(`(\\b${SECRET_NAME}\\s*[:=]\\s*)(?!\\[redacted\\])[^\\s,;"'}]+`, 'gi'), '$1[redacted]'],
  // Ganyun's own session and API tokens and subscription tickets (auth/tokens.ts, auth/subscription-tickets.ts).
  [/\bgy[sat]_[A-Za-z0-9_-]{20,}/g, '[redacted token]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Deep copy with every string scrubbed (log objects); bounded depth, other values as they are. */
export function scrubSecretsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubSecretsDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrubSecretsDeep(v, depth + 1)]));
}

const SECRET_QUERY = new RegExp(`^${SECRET_NAME}$`, 'i');

/**
 * A service URL that carries no credential: no user-info (`user:password@`) and no secret-named query
 * parameter. Credentials have their own write-only field, sealed at rest; a URL is stored, shown,
 * audited and logged.
 */
export function credentialFreeUrl(protocol: RegExp, what: string) {
  return z.url({ protocol, message: what }).max(500).superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return; // z.url already said why
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'the URL must not carry a user name or password: give the credential in the token field, which is sealed and never shown' });
    }
    if ([...url.searchParams.keys()].some((k) => SECRET_QUERY.test(k))) {
      ctx.addIssue({ code: 'custom', message: 'the URL must not carry a token or password as a query parameter: give it in the token field, which is sealed and never shown' });
    }
  });
}

/**
 * A bearer token as RFC 6750 defines it (b64token): the only characters a token may hold in an
 * Authorization header, so a connection attempt can never fail quoting the header with the token in it.
 */
export const bearerTokenSchema = (min: number, max: number) =>
  z.string().min(min, `at least ${min} characters`).max(max).regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'letters, digits and - . _ ~ + / (a bearer token, as issued)');
