import { z } from 'zod';

/**
 * The stack configuration (namespace `ganyun:` in Pulumi.<stack>.yaml), checked before any resource is
 * declared: a bad stack fails with one line per problem and creates nothing. Documented in README.md.
 */

/** Settings of the control plane that may go into its ConfigMap (README: Configuration). */
export const CONFIGMAP_SETTINGS = [
  'LOG_LEVEL', 'GANYUN_SEAL_ALGORITHM', 'GANYUN_TOKEN_TTL_MINUTES', 'GANYUN_CALLER_CACHE_MS', 'GANYUN_MAX_BODY_BYTES',
  'GANYUN_HEALTH_INTERVAL_SECONDS', 'GANYUN_SYNC_INTERVAL_SECONDS', 'GANYUN_WORKFLOW_LEASE_MS', 'GANYUN_EXTRANET_DEMO_VILLAGES',
  'GANYUN_SHUTDOWN_GRACE_MS', 'GANYUN_SHUTDOWN_DELAY_MS',
] as const;
/** Values that are secrets: referenced from a Secret, never put in the ConfigMap. */
const SECRET_SETTINGS = ['DATABASE_URL', 'GANYUN_SECRET_KEY', 'GANYUN_ADMIN_PASSWORD', 'GANYUN_METRICS_TOKEN'];

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as 500m, 2 or 512Mi');
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label (lower case letters, digits and -)');

const database = z.discriminatedUnion('mode', [
  z.object({
    /** An existing PostgreSQL: its connection string as a Pulumi secret, or a Secret already in the namespace. */
    mode: z.literal('url'),
    url: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
    existingSecret: z.object({ name: dnsLabel, key: z.string().min(1).default('DATABASE_URL') }).optional(),
  }).refine((d) => (d.url === undefined) !== (d.existingSecret === undefined), { message: 'set exactly one of url (a secret) and existingSecret' }),
  z.object({
    /** A CloudNativePG Cluster in the namespace: one primary and `instances - 1` streaming replicas. */
    mode: z.literal('cloudnativepg'),
    instances: z.number().int().min(1).max(9).default(3),
    storageSize: quantity.default('50Gi'),
    storageClass: z.string().min(1).optional(),
  }),
]);

const schema = z.object({
  /** Province (36) or a city (3601 … 3611): labels every object and names the stack's scope. */
  region: z.string().regex(/^36(0[1-9]|1[01])?$/, 'must be 36 (the province) or a city code 3601 … 3611'),
  namespace: dnsLabel.default('ganyun'),
  /** The registry every image must come from (also enforced by the policy pack). */
  registry: z.string().regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/, 'must be a registry host with an optional path, e.g. registry.jxzwy.gov.cn/ganyun'),
  image: z.string().min(1),
  replicas: z.number().int().min(1, 'must be at least 1').max(50).default(3),
  maxReplicas: z.number().int().min(1).max(100).optional(),
  resources: z.object({
    requests: z.object({ cpu: quantity.default('500m'), memory: quantity.default('512Mi') }).default({ cpu: '500m', memory: '512Mi' }),
    limits: z.object({ cpu: quantity.default('2'), memory: quantity.default('1Gi') }).default({ cpu: '2', memory: '1Gi' }),
  }).default({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } }),
  /** The sealing key, 64 hex characters, as a Pulumi secret; or `existingKeySecret` naming a Secret that holds it. */
  secretKey: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)').optional(),
  existingKeySecret: z.object({ name: dnsLabel, key: z.string().min(1).default('GANYUN_SECRET_KEY') }).optional(),
  /**
   * The bearer token /metrics asks for (GANYUN_METRICS_TOKEN), as a Pulumi secret, or `existingMetricsSecret`
   * naming a Secret that holds it. Required with the ServiceMonitor: Prometheus sends it on every scrape.
   */
  metricsToken: z.string().min(16, 'must be at least 16 characters').regex(/^[A-Za-z0-9._~+/=-]+$/, 'must be bearer-token characters').optional(),
  existingMetricsSecret: z.object({ name: dnsLabel, key: z.string().min(1).default('GANYUN_METRICS_TOKEN') }).optional(),
  database,
  settings: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** Namespaces whose pods may call the API (the ingress controller's, the monitoring one). */
  allowFromNamespaces: z.array(dnsLabel).default(['ingress-nginx', 'monitoring']),
  /** Where the control plane may connect (cloud APIs, SSH-managed devices); PostgreSQL and DNS are always allowed. */
  egressCidrs: z.array(z.string().regex(/^[0-9a-fA-F.:]+\/[0-9]{1,3}$/, 'must be a CIDR')).default(['0.0.0.0/0', '::/0']),
  ipFamilyPolicy: z.enum(['RequireDualStack', 'PreferDualStack']).default('RequireDualStack'),
  serviceMonitor: z.boolean().default(true),
  grafanaDashboard: z.boolean().default(true),
});

export type StackConfig = z.infer<typeof schema>;

export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack configuration (nothing was created):\n${problems.map((p) => `  ganyun:${p}`).join('\n')}`);
    this.name = 'StackConfigError';
  }
}

const KEYS = Object.keys(schema.shape) as (keyof StackConfig)[];

/**
 * Reads `ganyun:<key>` through `read` (raw strings as Pulumi keeps them: structured values as JSON) and
 * checks the whole stack at once.
 */
export function readStackConfig(read: (key: string) => string | undefined): StackConfig {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  const unreadable = new Set<string>();
  for (const key of KEYS) {
    const value = read(key);
    if (value === undefined || value === '') continue;
    const before = problems.length;
    raw[key] = parseValue(key, value, problems);
    if (problems.length > before) unreadable.add(key);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (unreadable.has(String(issue.path[0]))) continue; // already reported as unreadable
      const path = issue.path.map(String).join('.');
      problems.push(issue.code === 'invalid_type' && raw[String(issue.path[0])] === undefined && issue.path.length === 1
        ? `${path}: required`
        : `${path}: ${issue.message}`);
    }
  }
  const config = parsed.success ? parsed.data : undefined;
  if (config) problems.push(...crossChecks(config));
  if (problems.length) throw new StackConfigError(problems);
  return config!;
}

function parseValue(key: string, value: string, problems: string[]): unknown {
  if (['replicas', 'maxReplicas'].includes(key)) return /^-?[0-9]+$/.test(value) ? Number(value) : value;
  if (['serviceMonitor', 'grafanaDashboard'].includes(key)) return value === 'true' ? true : value === 'false' ? false : value;
  if (['resources', 'database', 'settings', 'allowFromNamespaces', 'egressCidrs', 'existingKeySecret', 'existingMetricsSecret'].includes(key)) {
    try {
      return JSON.parse(value);
    } catch {
      problems.push(`${key}: must be structured YAML (an object or a list), got ${JSON.stringify(value)}`);
      return undefined;
    }
  }
  return value;
}

function crossChecks(c: StackConfig): string[] {
  const problems: string[] = [];
  if ((c.secretKey === undefined) === (c.existingKeySecret === undefined)) {
    problems.push('secretKey: set exactly one of secretKey (pulumi config set --secret ganyun:secretKey <64 hex>) and existingKeySecret');
  }
  if (c.metricsToken !== undefined && c.existingMetricsSecret !== undefined) {
    problems.push('metricsToken: set at most one of metricsToken and existingMetricsSecret');
  } else if (c.serviceMonitor && c.metricsToken === undefined && c.existingMetricsSecret === undefined) {
    // /metrics refuses a scraper without the token, so a ServiceMonitor without one would only collect 401s.
    problems.push('metricsToken: the ServiceMonitor needs the token /metrics asks for: set metricsToken (pulumi config set --secret ganyun:metricsToken <token>) or existingMetricsSecret, or serviceMonitor: false');
  }
  const registry = c.registry.replace(/\/+$/, '');
  if (!c.image.startsWith(`${registry}/`)) problems.push(`image: must come from the registry ${registry}/ (got ${c.image})`);
  else if (!/[:@]/.test(c.image.slice(registry.length))) problems.push('image: must name a tag or a digest (no implicit :latest)');
  if (c.maxReplicas !== undefined && c.maxReplicas < c.replicas) problems.push(`maxReplicas: must be at least replicas (${c.replicas})`);
  for (const [name, value] of Object.entries(c.settings)) {
    if (SECRET_SETTINGS.includes(name)) problems.push(`settings.${name}: a secret: never put it in the ConfigMap (see database and secretKey)`);
    else if (!(CONFIGMAP_SETTINGS as readonly string[]).includes(name)) problems.push(`settings.${name}: not a setting of the control plane (one of ${CONFIGMAP_SETTINGS.join(', ')})`);
    else if (String(value).trim() === '') problems.push(`settings.${name}: empty`);
  }
  const grace = Number(c.settings['GANYUN_SHUTDOWN_GRACE_MS'] ?? DEFAULT_GRACE_MS);
  const delay = Number(c.settings['GANYUN_SHUTDOWN_DELAY_MS'] ?? DEFAULT_DELAY_MS);
  if (delay > grace) problems.push('settings.GANYUN_SHUTDOWN_DELAY_MS: must not exceed GANYUN_SHUTDOWN_GRACE_MS');
  return problems;
}

/** Shutdown timing in the cluster: 5 s for the endpoints to drop the pod, then up to 25 s for work in flight. */
export const DEFAULT_DELAY_MS = 5_000;
export const DEFAULT_GRACE_MS = 30_000;
