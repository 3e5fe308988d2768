/**
 * Clusters and SSH-managed devices: registration (connect first; credentials sealed, write-only), Ganyun's own
 * known-hosts (scan → compare → accept once; a changed key stays refused until re-accepted), host-key alarms,
 * reachability probes and their history, and the facts / inventory of a device.
 * These are province-wide resources: only province-wide roles see them (checked through auth/scope.ts).
 */
import { MAX_PING_COUNT, SITE_ROLES, scanHostKey, toProviderError } from '@ganyun/providers';
import { isIP } from 'node:net';
import { z } from 'zod';
import { assertInScope } from '../auth/scope.ts';
import type { Role } from '../auth/roles.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { clusterCredentialSchema } from '../federation/cluster-providers.ts';
import { registerCluster } from '../federation/cluster-registration.ts';
import { cloudsRepo, type CloudRecord } from '../federation/clouds-repo.ts';
import { cloudSummary } from '../federation/cloud-views.ts';
import { clusterNodes, deviceFacts } from '../federation/device-views.ts';
import { DEVICE_VENDORS, sshCredentialSchema } from '../federation/device-providers.ts';
import { registerDevice, rotateCredential, type CommitWrites } from '../federation/device-registration.ts';
import type { Context } from '../context.ts';
import { knownHostsRepo } from '../federation/known-hosts-repo.ts';
import { probeNow } from '../federation/probes.ts';
import { probesRepo } from '../federation/probes-repo.ts';
import { PAGE_DEFAULT, pageFields } from '../schemas.ts';
import { authedProcedure, commitUnitOfWork, router } from '../trpc.ts';
import { credentialFreeUrl } from '../secrets/secret-text.ts';

const READERS: readonly Role[] = ['admin', 'cloud-operator', 'network-engineer', 'auditor'];
const PROBERS: readonly Role[] = ['admin', 'cloud-operator', 'network-engineer'];
const PROVINCE = 'a cloud device';

const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a lower-case slug such as nc-core-sw1');
const hostSchema = z.string().trim().min(1, 'a host name or IP address').max(253)
  .refine((h) => isIP(h) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(h), 'a host name or an IPv4 / IPv6 address');
const portSchema = z.number().int().min(1, 'a port from 1 to 65535').max(65535, 'a port from 1 to 65535');
const fingerprintSchema = z.string().trim().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint as ssh-keygen -l prints it (SHA256:…, 43 characters)');
const targetSchema = z.string().trim().refine((t) => isIP(t) !== 0, 'an IPv4 or IPv6 address');

const basics = {
  id: cloudIdSchema,
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'),
  nameEn: z.string().trim().min(2, 'at least 2 characters').max(200, 'at most 200 characters'),
  region: z.string().regex(/^36(0[1-9]|1[01])$/, 'a Jiangxi city division code, 3601 to 3611'),
  kind: z.enum(['general', 'xinchuang']),
  siteRoles: z.array(z.enum(SITE_ROLES)).min(1, 'at least one site role').max(3).refine((r) => new Set(r).size === r.length, 'site roles must not repeat'),
  certifications: z.array(z.number().int().min(1).max(5)).min(1, 'at least one MLPS level').max(5),
  dualActive: z.boolean().default(false),
  enabled: z.boolean().default(true),
};

const deviceInput = z.object({
  ...basics,
  providerKind: z.enum(['ssh-host', 'network-device']),
  host: hostSchema,
  port: portSchema.default(22),
  username: z.string().trim().min(1, 'the user name to log in as').max(64).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ -'),
  vendor: z.enum(DEVICE_VENDORS).optional(),
  /** Network devices: `shell` (default; what most VRP / Comware VTYs offer) or `exec` channels. */
  session: z.enum(['shell', 'exec']).default('shell'),
  /** Write-only: sealed at once, never returned, never logged or audited. */
  credential: sshCredentialSchema,
}).refine((d) => d.providerKind !== 'network-device' || d.vendor !== undefined, { message: 'a network device needs its vendor', path: ['vendor'] });

const clusterInput = z.object({
  ...basics,
  server: credentialFreeUrl(/^https$/, 'the API server URL (https://…)').optional(),
  context: z.string().trim().min(1).max(253).optional(),
  /** Skips TLS verification: only for a lab cluster; logged as a warning on every connect. */
  insecureSkipTlsVerify: z.boolean().default(false),
  extranetCidrs: z.array(z.string().trim().min(3).max(64)).max(50).optional(),
  credential: clusterCredentialSchema,
});

/** What the audit trail keeps of a registration: the settings, never the credential. */
const auditImage = (c: CloudRecord) => ({
  id: c.id, name: c.name, providerKind: c.providerKind, endpoint: c.endpoint, region: c.region, kind: c.kind,
  ssh: c.config.ssh ?? null, kubernetes: c.config.kubernetes ?? null,
});

async function loadCloud(db: Parameters<typeof cloudsRepo.byId>[0], id: string): Promise<CloudRecord> {
  const c = await cloudsRepo.byId(db, id);
  if (!c) throw new NotFoundError(`no cloud ${id}`);
  return c;
}

/**
 * Registration connects first, outside any transaction (a host that hangs keeps it waiting for the whole
 * deadline); then the rows and the audit record (the stored cloud, never its credential) commit together.
 */
function auditedCommit(ctx: Context, path: string, id: string): CommitWrites {
  return (write) => commitUnitOfWork(ctx, path, async (tx) => {
    await write(tx);
    ctx.audit.after = auditImage(await loadCloud(tx, id));
  });
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const devicesRouter = router({
  /** Connects first; an unknown host key is refused with its fingerprint (scan and accept it, then retry). */
  registerDevice: authedProcedure
    .meta({ roles: ['admin'], selfManaged: true })
    .input(deviceInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      assertInScope(ctx.scope, null, PROVINCE);
      const { host, port, username, vendor, session, providerKind, credential, ...rest } = input;
      const device = providerKind === 'network-device' && vendor ? { vendor, session } : {};
      await registerDevice(ctx.deps, { ...rest, providerKind, credential, ssh: { host, port, username, ...device } }, auditedCommit(ctx, 'devices.registerDevice', input.id));
      return cloudSummary(ctx.db, ctx.deps.federation, input.id);
    }),

  /** Kubeconfig, or token + CA. TLS is verified unless insecureSkipTlsVerify is set explicitly. */
  registerCluster: authedProcedure
    .meta({ roles: ['admin'], selfManaged: true })
    .input(clusterInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      assertInScope(ctx.scope, null, PROVINCE);
      const { server, context, insecureSkipTlsVerify, extranetCidrs, credential, ...rest } = input;
      if (insecureSkipTlsVerify) ctx.log.warn({ cloud: input.id }, 'registering a cluster with TLS verification disabled (insecureSkipTlsVerify)');
      await registerCluster(ctx.deps, {
        ...rest, credential,
        kubernetes: { ...(server ? { server } : {}), ...(context ? { context } : {}), insecureSkipTlsVerify, ...(extranetCidrs ? { extranetCidrs } : {}) },
      }, auditedCommit(ctx, 'devices.registerCluster', input.id));
      return { ...(await cloudSummary(ctx.db, ctx.deps.federation, input.id)), insecureSkipTlsVerify };
    }),

  /** Replaces the sealed credential (password, key, token, kubeconfig) after the new one has connected. */
  rotateCredential: authedProcedure
    .meta({ roles: ['admin'], selfManaged: true })
    .input(z.object({ id: cloudIdSchema, credential: z.union([sshCredentialSchema, clusterCredentialSchema]) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.id}`;
      assertInScope(ctx.scope, null, PROVINCE);
      const cloud = await loadCloud(ctx.db, input.id);
      const sshKind = cloud.providerKind === 'ssh-host' || cloud.providerKind === 'network-device';
      const fits = sshKind ? sshCredentialSchema.safeParse(input.credential).success : cloud.providerKind === 'kubernetes' && clusterCredentialSchema.safeParse(input.credential).success;
      if (!fits) throw new InputError(`a ${cloud.providerKind} cloud does not take a ${input.credential.type} credential`, 'credential');
      // The audit says that the credential changed, and of which type: never the credential.
      ctx.audit.after = { credentialType: input.credential.type };
      await rotateCredential(ctx.deps, cloud, input.credential, (write) => commitUnitOfWork(ctx, 'devices.rotateCredential', write));
      return { id: cloud.id, credentialType: input.credential.type };
    }),

  /** What key host:port presents now, and how it compares with the pinned one. Never authenticates. */
  scanHostKey: authedProcedure
    .meta({ roles: ['admin'] })
    .input(z.object({ host: hostSchema, port: portSchema.default(22) }))
    .query(async ({ ctx, input }) => {
      assertInScope(ctx.scope, null, PROVINCE);
      const pinned = await knownHostsRepo.get(ctx.db, input.host, input.port);
      const scanned = await scanHostKey(input.host, input.port, { timeoutMs: ctx.deps.federation.options.fanOutDeadlineMs * 2 }).catch((e: unknown) => {
        const err = toProviderError(e, 'ssh', 'scanHostKey');
        throw new InputError(`cannot read the host key of ${input.host}:${input.port} (${err.code}${err.reason ? `/${err.reason}` : ''})`, 'host', { cause: err });
      });
      const status = !pinned ? 'unknown' : pinned.fingerprint === scanned.fingerprint ? 'pinned' : 'changed';
      return { host: input.host, port: input.port, fingerprint: scanned.fingerprint, status, pinned: pinned ? { fingerprint: pinned.fingerprint, acceptedBy: pinned.acceptedBy, acceptedAt: iso(pinned.acceptedAt)! } : null };
    }),

  /**
   * Pins the key an admin compared out of band. The host must present exactly that key now (a typo, or a
   * man in the middle, is refused). Resolves the host's open alarms; pooled sessions to it are dropped.
   */
  acceptHostKey: authedProcedure
    .meta({ roles: ['admin'], selfManaged: true })
    .input(z.object({ host: hostSchema, port: portSchema.default(22), fingerprint: fingerprintSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ssh-host:${input.host}:${input.port}`;
      assertInScope(ctx.scope, null, PROVINCE);
      // Read the key before any transaction opens (a host that never answers takes the whole timeout).
      const scanned = await scanHostKey(input.host, input.port, { timeoutMs: ctx.deps.federation.options.fanOutDeadlineMs * 2 }).catch((e: unknown) => {
        throw new InputError(`cannot read the host key of ${input.host}:${input.port} to compare it`, 'host', { cause: e });
      });
      if (scanned.fingerprint !== input.fingerprint) {
        throw new InputError(`${input.host}:${input.port} presents ${scanned.fingerprint}, not the fingerprint given: nothing was pinned`, 'fingerprint');
      }
      const { before, resolvedAlarms } = await commitUnitOfWork(ctx, 'devices.acceptHostKey', async (tx) => {
        const before = await knownHostsRepo.get(tx, input.host, input.port);
        const { resolvedAlarms } = await knownHostsRepo.accept(tx, { ...input, acceptedBy: ctx.caller.username });
        Object.assign(ctx.audit, { before: before ? { fingerprint: before.fingerprint } : null, after: { fingerprint: input.fingerprint, resolvedAlarms } });
        return { before, resolvedAlarms };
      });
      // Pooled sessions to that host were opened under the old pin: drop them.
      for (const c of await cloudsRepo.list(ctx.db)) {
        if (c.config.ssh?.host === input.host && c.config.ssh.port === input.port) ctx.deps.federation.connected(c.id)?.features?.hostKeys?.evict();
      }
      return { host: input.host, port: input.port, fingerprint: input.fingerprint, replaced: before?.fingerprint ?? null, resolvedAlarms };
    }),

  knownHosts: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({}).default({}))
    .query(async ({ ctx }) => {
      assertInScope(ctx.scope, null, PROVINCE);
      return { items: (await knownHostsRepo.list(ctx.db)).map((k) => ({ ...k, acceptedAt: iso(k.acceptedAt)! })) };
    }),

  /** Newest first, a page at a time by cursor, with the total the filter admits (the console shows the count). */
  alarms: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ open: z.boolean().optional(), cloudId: cloudIdSchema.optional(), ...pageFields }).default({ limit: PAGE_DEFAULT }))
    .query(async ({ ctx, input }) => {
      assertInScope(ctx.scope, null, PROVINCE);
      const { cursor, limit, ...filter } = input;
      const page = await knownHostsRepo.alarmsPage(ctx.db, filter, { cursor, limit });
      return {
        items: page.items.map((a) => ({ ...a, firstSeenAt: iso(a.firstSeenAt)!, lastSeenAt: iso(a.lastSeenAt)!, resolvedAt: iso(a.resolvedAt) })),
        nextCursor: page.nextCursor,
        total: await knownHostsRepo.alarmsTotal(ctx.db, filter),
      };
    }),

  /**
   * Runs a probe now and stores it; a probe that could not run is stored and returned with outcome `error`.
   * The SSH round trip (up to its timeout on a hung device) runs before any transaction is opened.
   */
  runProbe: authedProcedure
    .meta({ roles: PROBERS, selfManaged: true })
    .input(z.object({
      cloudId: cloudIdSchema,
      target: targetSchema,
      vpnInstance: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$/, 'letters, digits and _ . -, at most 31 characters').optional(),
      count: z.number().int().min(1, `1 to ${MAX_PING_COUNT}`).max(MAX_PING_COUNT, `1 to ${MAX_PING_COUNT}`).default(3),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `cloud:${input.cloudId}`;
      assertInScope(ctx.scope, null, PROVINCE);
      const record = await probeNow({ ...ctx.deps, requestedBy: ctx.caller.username }, input);
      ctx.audit.after = { id: record.id, target: record.target, vpnInstance: record.vpnInstance, outcome: record.outcome, lossPercent: record.lossPercent, errorCode: record.errorCode };
      await commitUnitOfWork(ctx, 'devices.runProbe', (tx) => probesRepo.insert(tx, record));
      return record;
    }),

  probes: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ cloudId: cloudIdSchema.optional(), target: targetSchema.optional(), ...pageFields }).default({ limit: PAGE_DEFAULT }))
    .query(async ({ ctx, input }) => {
      assertInScope(ctx.scope, null, PROVINCE);
      const { cursor, limit, ...filter } = input;
      return probesRepo.history(ctx.db, filter, { cursor, limit });
    }),

  /** Connection settings (no credential), pinned key, open alarms, and the typed inventory last synced. */
  facts: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ id: cloudIdSchema }))
    .query(async ({ ctx, input }) => {
      assertInScope(ctx.scope, null, PROVINCE);
      const cloud = await loadCloud(ctx.db, input.id);
      return deviceFacts(ctx.db, cloud, cloud.providerKind === 'kubernetes' ? await clusterNodes(ctx.deps.federation, cloud.id) : undefined);
    }),
});
