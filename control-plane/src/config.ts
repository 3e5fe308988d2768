import { z } from 'zod';

/**
 * The one way configuration is read: environment variables, validated here at start.
 * Every bad value yields one line naming the variable, so an operator fixes all of them in one go.
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  GANYUN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  GANYUN_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  GANYUN_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
    .optional(),
  GANYUN_SEAL_ALGORITHM: z.enum(['aes-256-gcm', 'sm4-ctr-hmac-sm3']).default('aes-256-gcm'),
  GANYUN_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(8 * 60),
  /**
   * The longest a resolved token is trusted without asking the database again (0: always ask). Any identity
   * change clears it at once on every replica (auth/caller-cache.ts), so this only bounds memory and staleness
   * should the change feed be silent without being lost.
   */
  GANYUN_CALLER_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(30_000),
  GANYUN_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  GANYUN_CONSOLE_DIR: z.string().optional(),
  /** Reverse proxies in front of the server whose X-Forwarded-For is trusted for the caller's address (login throttling). */
  GANYUN_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /**
   * The bearer token Prometheus sends for /metrics. Unset: /metrics answers only scrapers on this host that
   * connect directly (not through a proxy).
   */
  GANYUN_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^[A-Za-z0-9._~+/=-]+$/, 'must be bearer-token characters').optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  /** Federation file registered into the store on first start (default: providers/federation.default.json). */
  GANYUN_FEDERATION_CONFIG: z.string().min(1).optional(),
  /**
   * Signed checkpoints of the audit chain's head, exported outside the database (default: in the data dir).
   * Point it at storage the database's administrators cannot write; every replica appends its own lines.
   */
  GANYUN_AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  GANYUN_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  GANYUN_HEALTH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** How long a workflow step stays claimed without a heartbeat before another runner takes it over. */
  GANYUN_WORKFLOW_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  GANYUN_SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  /**
   * Shutdown on SIGTERM: /readyz answers 503 at once; after GANYUN_SHUTDOWN_DELAY_MS (time for the load
   * balancer or the Service endpoints to notice) the server stops accepting; requests and workflow steps in
   * flight get until GANYUN_SHUTDOWN_GRACE_MS after the signal, then steps are handed to another replica.
   */
  GANYUN_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
  GANYUN_SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** Extranet demo on first start: villages synthesised per township (0 = no demo extranet). */
  GANYUN_EXTRANET_DEMO_VILLAGES: z.coerce.number().int().min(0).max(40).default(3),
});

export type Config = z.infer<typeof schema>;

/** Variables whose values are secrets: a bad one is named, never echoed (start logs are read by many people). */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'GANYUN_ADMIN_PASSWORD', 'GANYUN_SECRET_KEY', 'GANYUN_METRICS_TOKEN']);

function shown(name: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(name)) return `a value of ${value?.length ?? 0} characters, not shown`;
  return JSON.stringify(value);
}

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`invalid configuration:\n${lines.join('\n')}`);
  }
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset: `PORT= npm start` should mean "default", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${shown(String(i.path[0]), cleaned[String(i.path[0])])})`),
    );
  }
  if (parsed.data.DATABASE_URL && !parsed.data.GANYUN_SECRET_KEY) {
    // Replicas on PostgreSQL must share one sealing key; generating one per process would make
    // every replica unable to read the others' secrets.
    throw new ConfigError(['GANYUN_SECRET_KEY: required when DATABASE_URL is set (replicas must share one sealing key)']);
  }
  if (parsed.data.GANYUN_SHUTDOWN_DELAY_MS > parsed.data.GANYUN_SHUTDOWN_GRACE_MS) {
    throw new ConfigError([`GANYUN_SHUTDOWN_DELAY_MS: must not exceed GANYUN_SHUTDOWN_GRACE_MS (${parsed.data.GANYUN_SHUTDOWN_GRACE_MS}): the delay is part of the grace period`]);
  }
  return parsed.data;
}
