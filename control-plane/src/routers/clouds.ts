import { SITE_ROLES, hashSeed, type FaultSettings, type ProviderOp } from '@ganyun/providers';
import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { cloudsRepo, type CloudConfig, type CloudRecord } from '../federation/clouds-repo.ts';
import { cloudSummary, driftOf, listClouds } from '../federation/cloud-views.ts';
import { inventoryRepo } from '../federation/inventory-repo.ts';
import type { Queryable } from '../store/store.ts';
import { authedProcedure, commitUnitOfWork, router } from '../trpc.ts';
import { bearerTokenSchema, credentialFreeUrl } from '../secrets/secret-text.ts';

const OPERATORS = ['admin', 'cloud-operator'] as const;

const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a lower-case slug such as jx-province or nanchang');
const regionSchema = z.string().regex(/^36(0[1-9]|1[01])$/, 'a Jiangxi city division code, 3601 to 3611');

const fields = {
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'),
  nameEn: z.string().trim().min(2, 'at least 2 characters').max(200, 'at most 200 characters'),
  providerKind: z.enum(['simulated', 'remote']),
  endpoint: credentialFreeUrl(/^https?$/, 'an http(s) URL').nullable().optional(),
  /** Write-only: sealed at once, never returned, never audited. */
  token: bearerTokenSchema(1, 4096).nullable().optional(),
  region: regionSchema,
  kind: z.enum(['general', 'xinchuang']),
  siteRoles: z.array(z.enum(SITE_ROLES)).min(1, 'at least one site role').max(3).refine((r) => new Set(r).size === r.length, 'site roles must not repeat'),
  certifications: z.array(z.number().int().min(1).max(5)).min(1, 'at least one MLPS level').max(5),
  dualActive: z.boolean(),
  enabled: z.boolean(),
};

const faultsSchema = z.strictObject({
  down: z.boolean().optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  retryAfterMs: z.number().int().min(0).max(600_000).optional(),
  garbageRate: z.number().min(0).max(1).optional(),
  lostResponseRate: z.number().min(0).max(1).optional(),
  failPage: z.strictObject({ page: z.number().int().min(1), times: z.number().int().min(1).max(1000).optional() }).optional(),
  ops: z.array(z.string().min(1).max(40)).max(20).optional(),
});

/** Sim settings for a simulated cloud registered through the API: one zone, pools that fit its kind. */
function defaultSim(id: string, kind: 'general' | 'xinchuang'): NonNullable<CloudConfig['sim']> {
  const zone = `${id}-main`;
  const pool = (arch: 'x86_64' | 'arm64', vendor: 'intel' | 'hygon' | 'kunpeng') => ({ zone, arch, vendor, hosts: 16, coresPerHost: 64, memoryGiBPerHost: 512, storageGiBPerHost: 16000 });
  return {
    seed: hashSeed(0, id), hostPools: kind === 'xinchuang' ? [pool('arm64', 'kunpeng'), pool('x86_64', 'hygon')] : [pool('x86_64', 'intel'), pool('x86_64', 'hygon')],
    overcommit: { vcpu: 2, memoryGiB: 1, storageGiB: 1 }, initialResources: 50, systems: 'city', namePrefix: '',
  };
}

async function loadCloud(db: Queryable, id: string): Promise<CloudRecord> {
  const c = await cloudsRepo.byId(db, id);
  if (!c) throw new NotFoundError(`no cloud ${id}`);
  return c;
}

/** The audit image of a cloud: its settings, never its credentials. */
const auditImage = (c: Omit<CloudRecord, 'capacity' | 'config'>) => ({
  id: c.id, name: c.name, nameEn: c.nameEn, providerKind: c.providerKind, endpoint: c.endpoint, region: c.region,
  kind: c.kind, siteRoles: c.siteRoles, certifications: c.certifications, dualActive: c.dualActive, enabled: c.enabled,
});

export const cloudsRouter = router({
  list: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ region: regionSchema.optional(), kind: z.enum(['general', 'xinchuang']).optional() }).default({}))
    // The same answer for every role: from this process's snapshot, dropped on any change (cloud-summaries.ts), and one
    // answer object (its JSON written once) while the snapshot and the circuits stay as they were (cloud-views.ts).
    .query(({ ctx, input }) => listClouds(ctx.deps.cloudSummaries, ctx.deps.federation, input)),

  get: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ id: cloudIdSchema }))
    .query(async ({ ctx, input }) => {
      const summary = await cloudSummary(ctx.db, ctx.deps.federation, input.id);
      const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
      return {
        ...summary,
        healthHistory: (await cloudsRepo.healthHistory(ctx.db, input.id)).map((h) => ({ at: iso(h.at)!, status: h.status, latencyMs: h.latencyMs, message: h.message })),
        syncs: (await inventoryRepo.runs(ctx.db, input.id)).map((s) => ({
          id: s.id, mode: s.mode, status: s.status, startedAt: iso(s.startedAt)!, finishedAt: iso(s.finishedAt),
          objects: s.objects, created: s.created, updated: s.updated, deleted: s.deleted, error: s.error,
        })),
        drift: await driftOf(ctx.db, input.id),
        faults: (await ctx.deps.federation.faults(input.id)) as Record<string, unknown> | null,
      };
    }),

  inventory: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({
      id: cloudIdSchema,
      kind: z.enum(['vm', 'workload', 'volume', 'network-segment', 'tenant-space']).optional(),
      search: z.string().trim().max(100).optional(),
      includeDeleted: z.boolean().optional(),
      /** Only objects a workflow may have left behind (needs-attention). */
      orphaned: z.boolean().optional(),
      limit: z.number().int().min(1).max(500).default(100),
      cursor: z.string().max(600).optional(),
    }))
    .query(async ({ ctx, input }) => {
      await loadCloud(ctx.db, input.id);
      const page = await inventoryRepo.list(ctx.db, input.id, ctx.scope, input);
      return {
        items: page.items.map((o) => ({ ...o, lastSeenAt: new Date(o.lastSeenAt).toISOString(), deletedAt: o.deletedAt ? new Date(o.deletedAt).toISOString() : null })),
        nextCursor: page.nextCursor,
      };
    }),

  /** Connects first (with the given endpoint and token); stores only a cloud that answered as itself. */
  create: authedProcedure
    .meta({ roles: ['admin'] })
    .input(z.object({ id: cloudIdSchema, ...fields }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      if (await cloudsRepo.byId(ctx.db, input.id)) throw new ConflictError(`a cloud with id ${input.id} exists`, 'id');
      if (input.providerKind === 'remote' && !input.endpoint) throw new InputError('a remote cloud needs an endpoint', 'endpoint');
      const record = {
        id: input.id, name: input.name, nameEn: input.nameEn, providerKind: input.providerKind,
        endpoint: input.providerKind === 'remote' ? input.endpoint! : null, region: input.region, kind: input.kind,
        siteRoles: input.siteRoles, certifications: input.certifications, dualActive: input.dualActive, enabled: input.enabled,
        config: input.providerKind === 'simulated' ? { sim: defaultSim(input.id, input.kind) } : {},
      };
      const token = input.token ?? null;
      const built = await ctx.deps.federation.connectCheck({ record, token });
      await cloudsRepo.insert(ctx.db, { ...record, sealedCredentials: token ? ctx.deps.sealing.seal(token, `cloud:${input.id}`) : null });
      await ctx.deps.federation.install({ record, token }, built);
      const after = await loadCloud(ctx.db, input.id);
      ctx.audit.after = auditImage(after);
      return cloudSummary(ctx.db, ctx.deps.federation, input.id);
    }),

  /** Changes settings; a change of provider, endpoint or token is connected first and refused if it fails. */
  update: authedProcedure
    .meta({ roles: ['admin'] })
    .input(z.object({ id: cloudIdSchema, ...z.object(fields).partial().shape }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      const before = await loadCloud(ctx.db, input.id);
      const providerKind = input.providerKind ?? before.providerKind;
      // Clusters and SSH-managed devices keep their connection settings and sealed credential (devices router).
      const managedElsewhere = !['simulated', 'remote'].includes(before.providerKind);
      if (managedElsewhere && (input.providerKind !== undefined || input.endpoint !== undefined || input.token !== undefined)) {
        throw new InputError(`the connection of a ${before.providerKind} cloud is set when it is registered (devices): register it again to change it`, input.token !== undefined ? 'token' : input.endpoint !== undefined ? 'endpoint' : 'providerKind');
      }
      const endpoint = managedElsewhere ? before.endpoint : providerKind === 'remote' ? (input.endpoint !== undefined ? input.endpoint : before.endpoint) : null;
      if (providerKind === 'remote' && !endpoint) throw new InputError('a remote cloud needs an endpoint', 'endpoint');
      const token = input.token !== undefined ? input.token : await ctx.deps.federation.openToken(ctx.db, input.id);
      const config: CloudConfig = providerKind === 'simulated' ? { ...before.config, sim: before.config.sim ?? defaultSim(input.id, input.kind ?? before.kind) } : before.config;
      const record = {
        id: input.id, name: input.name ?? before.name, nameEn: input.nameEn ?? before.nameEn, providerKind, endpoint,
        region: input.region ?? before.region, kind: input.kind ?? before.kind, siteRoles: input.siteRoles ?? before.siteRoles,
        certifications: input.certifications ?? before.certifications, dualActive: input.dualActive ?? before.dualActive,
        enabled: input.enabled ?? before.enabled, config,
      };
      const reconnect = providerKind !== before.providerKind || endpoint !== before.endpoint || input.token !== undefined;
      const built = reconnect ? await ctx.deps.federation.connectCheck({ record, token }) : undefined;
      await cloudsRepo.update(ctx.db, { ...record, sealedCredentials: token ? ctx.deps.sealing.seal(token, `cloud:${input.id}`) : null });
      await ctx.deps.federation.install({ record, token }, built);
      const after = await loadCloud(ctx.db, input.id);
      Object.assign(ctx.audit, { before: auditImage(before), after: auditImage(after) });
      return cloudSummary(ctx.db, ctx.deps.federation, input.id);
    }),

  /** Asks the cloud now (outside any transaction), then records the answer with its audit record. */
  checkHealth: authedProcedure
    .meta({ roles: OPERATORS, selfManaged: true })
    .input(z.object({ id: cloudIdSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      await loadCloud(ctx.db, input.id);
      return ctx.deps.federation.checkHealth(input.id, (write, answer) => {
        ctx.audit.after = answer;
        return commitUnitOfWork(ctx, 'clouds.checkHealth', write);
      });
    }),

  /** Starts a sync now (or returns the one running); its progress shows in clouds.get → syncs. */
  sync: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({ id: cloudIdSchema, mode: z.enum(['full', 'incremental']) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      await loadCloud(ctx.db, input.id);
      const { syncId } = ctx.deps.federation.startSync(input.id, input.mode);
      ctx.audit.after = { mode: input.mode, syncId };
      return { syncId };
    }),

  /** Simulated clouds only (in-process, or a sim server reached as remote). `{}` heals. */
  setFaults: authedProcedure
    .meta({ roles: OPERATORS })
    .input(z.object({ id: cloudIdSchema, faults: faultsSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      await loadCloud(ctx.db, input.id);
      const before = await ctx.deps.federation.faults(input.id);
      const faults = await ctx.deps.federation.setFaults(input.id, { ...input.faults, ...(input.faults.ops ? { ops: input.faults.ops as ProviderOp[] } : {}) } as FaultSettings);
      Object.assign(ctx.audit, { before, after: faults });
      return faults as Record<string, unknown>;
    }),

  /** Capacity across the enabled clouds: what answered, plus one error per cloud that did not. */
  capacity: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({}).default({}))
    .query(({ ctx }) => ctx.deps.federation.capacity()),
});
