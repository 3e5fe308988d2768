/**
 * The federation file: which clouds Ganyun manages and how to reach (or simulate) each.
 * Validated with zod; a bad file is reported one line per problem, each with its JSON
 * path (`$.clouds[3].region: …`), so an operator can fix all of them in one pass.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CPU_ARCHES, CPU_VENDORS } from './spi.ts';

const slug = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a lower-case slug like "jx-province"');
const positiveInt = z.number().int().positive();
export const SITE_ROLES = ['production', 'same-city-dr', 'remote-dr'] as const;

const zoneSchema = z.strictObject({
  id: slug,
  name: z.string().min(1),
  nameEn: z.string().min(1),
  role: z.enum(SITE_ROLES),
});

const hostPoolSchema = z.strictObject({
  zone: slug,
  arch: z.enum(CPU_ARCHES),
  vendor: z.enum(CPU_VENDORS),
  hosts: positiveInt,
  coresPerHost: positiveInt,
  memoryGiBPerHost: positiveInt,
  storageGiBPerHost: positiveInt,
  gpusPerHost: z.number().int().nonnegative().optional(),
});

const ratio = z.number().positive().max(16);

const simSchema = z.strictObject({
  seed: z.number().int().nonnegative(),
  hostPools: z.array(hostPoolSchema).min(1),
  overcommit: z.strictObject({ vcpu: ratio, memoryGiB: ratio, storageGiB: ratio, gpu: ratio.optional() }),
  initialResources: z.number().int().nonnegative().max(200_000),
  /** Which catalogue the initial inventory draws its systems from. */
  systems: z.enum(['provincial', 'city']),
  /** Prefix of system names: '' for provincial systems, '南昌市' for a city's. */
  namePrefix: z.string(),
  tenantSpaceKind: z.enum(['project', 'namespace']).optional(),
  timeScale: z.number().nonnegative().optional(),
  replication: z
    .array(z.strictObject({ target: slug, mode: z.enum(['sync', 'async']), baseLagSeconds: z.number().nonnegative() }))
    .optional(),
});

const cloudSchema = z.strictObject({
  id: slug,
  name: z.string().min(1),
  nameEn: z.string().min(1),
  /** Registry key of the provider kind. */
  provider: z.string().min(1),
  /** Division code (GB/T 2260, shortened) of the city the cloud sits in: 3601…3611. */
  region: z.string().regex(/^36(0[1-9]|1[01])$/, 'must be a Jiangxi city division code, 3601 to 3611'),
  level: z.enum(['province', 'city']),
  kind: z.enum(['general', 'xinchuang']),
  siteRoles: z.array(z.enum(SITE_ROLES)).min(1),
  zones: z.array(zoneSchema).min(1),
  /** 等保 (MLPS 2.0) levels the cloud is certified to host. */
  certifications: z.strictObject({ mlps: z.array(z.number().int().min(1).max(5)).min(1) }),
  dualActive: z.boolean(),
  sim: simSchema.optional(),
  /** For provider `remote`: base URL of the cloud's API (a sim server, for instance). */
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** Name of the environment variable holding the bearer token; tokens never sit in this file. */
  tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
});

export const federationConfigSchema = z
  .strictObject({ version: z.literal(1), clouds: z.array(cloudSchema).min(1) })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.clouds.forEach((c, i) => {
      const at = (...path: (string | number)[]): (string | number)[] => ['clouds', i, ...path];
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: at('id'), message: `duplicate cloud id "${c.id}"` });
      ids.add(c.id);
      if (c.provider === 'simulated' && c.sim === undefined) {
        ctx.addIssue({ code: 'custom', path: at('sim'), message: 'a simulated cloud needs sim settings' });
      }
      if (c.provider === 'remote' && c.endpoint === undefined) {
        ctx.addIssue({ code: 'custom', path: at('endpoint'), message: 'a remote cloud needs an endpoint' });
      }
      const zoneIds = new Set(c.zones.map((z) => z.id));
      c.zones.forEach((z, j) => {
        if (!c.siteRoles.includes(z.role)) {
          ctx.addIssue({ code: 'custom', path: at('zones', j, 'role'), message: `role "${z.role}" is not among the cloud's siteRoles` });
        }
      });
      const pools = new Set<string>();
      c.sim?.hostPools.forEach((p, j) => {
        if (!zoneIds.has(p.zone)) ctx.addIssue({ code: 'custom', path: at('sim', 'hostPools', j, 'zone'), message: `zone "${p.zone}" is not one of the cloud's zones` });
        const key = `${p.zone}/${p.arch}/${p.vendor}`;
        if (pools.has(key)) ctx.addIssue({ code: 'custom', path: at('sim', 'hostPools', j), message: `a second pool for ${key}` });
        pools.add(key);
      });
    });
    cfg.clouds.forEach((c, i) =>
      c.sim?.replication?.forEach((r, j) => {
        if (!ids.has(r.target)) {
          ctx.addIssue({ code: 'custom', path: ['clouds', i, 'sim', 'replication', j, 'target'], message: `no cloud with id "${r.target}"` });
        }
      }),
    );
  });

export type FederationConfig = z.infer<typeof federationConfigSchema>;
export type CloudEntry = FederationConfig['clouds'][number];
export type SiteRole = (typeof SITE_ROLES)[number];

export type ParseResult = { readonly ok: true; readonly config: FederationConfig } | { readonly ok: false; readonly errors: readonly string[] };

/** `$.clouds[3].sim.hostPools[0].zone` */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => {
    if (typeof k === 'number') return `${acc}[${k}]`;
    const s = String(k);
    return /^[A-Za-z_$][\w$]*$/.test(s) ? `${acc}.${s}` : `${acc}[${JSON.stringify(s)}]`;
  }, '$');
}

export function parseFederationConfig(json: unknown): ParseResult {
  const r = federationConfigSchema.safeParse(json);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`) };
}

export class FederationConfigError extends Error {
  override readonly name = 'FederationConfigError';

  constructor(
    readonly source: string,
    readonly errors: readonly string[],
  ) {
    super(`${source}: invalid federation config:\n${errors.join('\n')}`);
  }
}

/** Reads and validates a federation file; throws FederationConfigError listing every problem. */
export async function loadFederationConfig(path: string): Promise<FederationConfig> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new FederationConfigError(path, [`$: ${e instanceof Error ? e.message : String(e)}`]);
  }
  const r = parseFederationConfig(json);
  if (!r.ok) throw new FederationConfigError(path, r.errors);
  return r.config;
}

/** Path of the default federation shipped with this package. */
export const DEFAULT_FEDERATION_PATH = fileURLToPath(new URL('../federation.default.json', import.meta.url));
