import { z } from 'zod';
import { ANY_ROLE } from '../auth/roles.ts';
import { assertInScope, type Scope } from '../auth/scope.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { allocateAddress, createAddress, deleteAddress } from '../ipam/addresses.ts';
import { freeSpace } from '../ipam/allocate.ts';
import { batcherFor } from '../ipam/batcher.ts';
import { auditActorOf } from '../audit/actor.ts';
import { blockFromDb, formatBlock, parseAddress, parseCidr, rangeToBlocks, sumSizes } from '../ipam/ip-math.ts';
import { ipamRepo, type PrefixRow, type VrfRow } from '../ipam/ipam-repo.ts';
import { allocatePair, templates, UNIT_LEVELS } from '../ipam/pairs.ts';
import { exportPrefixes, importPrefixes } from '../ipam/prefix-csv.ts';
import { createPrefix, deletePrefix, utilisation } from '../ipam/prefixes.ts';
import { STRATEGIES } from '../ipam/strategy.ts';
import { natMappings } from '../ipam/nat.ts';
import { createVrf, deleteVrf, updateVrf } from '../ipam/vrfs.ts';
import type { Queryable } from '../store/store.ts';
import { authedProcedure, byIdProcedure, pageProcedure, router } from '../trpc.ts';
import { idSchema, pageFields } from '../schemas.ts';

/** Network staff change address plans; everyone else reads what their scope allows. */
const WRITERS = ['admin', 'network-engineer'] as const;

const cidrSchema = z.string().trim().max(60, 'at most 60 characters').superRefine((s, ctx) => {
  const r = parseCidr(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});
const addressSchema = z.string().trim().max(60, 'at most 60 characters').superRefine((s, ctx) => {
  const r = parseAddress(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});
const targetSchema = z.string().regex(/^(\d{1,10}|\d{1,3}(\.\d{1,3}){3}):\d{1,10}$/, 'a route target or distinguisher such as 65001:100 or 10.0.0.1:100');
const keySchema = z.string().trim().min(1).max(200, 'at most 200 characters').regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
const unitCodeSchema = z.string().regex(/^[0-9A-Za-z-]{2,40}$/, 'a unit code: 2 to 40 letters, digits or dashes');
const planeIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a plane id such as plane-1');
const kindSchema = z.enum(['aggregate', 'container', 'assigned']);
const statusSchema = z.enum(['active', 'reserved', 'deprecated']);
const descriptionSchema = z.string().trim().max(500, 'at most 500 characters');
/** Without defaults: an update leaves out what it does not change (create adds the defaults). */
const vrfFields = {
  rd: targetSchema.nullable(),
  importTargets: z.array(targetSchema).max(50),
  exportTargets: z.array(targetSchema).max(50),
  planeId: planeIdSchema.nullable(),
  migrationState: z.enum(['planned', 'in-progress', 'migrated', 'verified']).nullable(),
  description: descriptionSchema,
};

async function visibleVrf(db: Queryable, scope: Scope, id: string): Promise<VrfRow> {
  const v = await ipamRepo.vrfById(db, id);
  if (!v) throw new NotFoundError('no such VRF');
  if (v.departmentId) assertInScope(scope, v.departmentId, 'that VRF');
  return v;
}

async function visiblePrefix(db: Queryable, scope: Scope, id: string): Promise<PrefixRow> {
  const p = await ipamRepo.prefixById(db, id);
  if (!p) throw new NotFoundError('no such prefix');
  await visibleVrf(db, scope, p.vrfId);
  return p;
}

async function withUtilisation(db: Queryable, rows: PrefixRow[]) {
  const u = await utilisation(db, rows);
  return rows.map((p) => ({ ...p, utilisation: u.get(p.id)! }));
}

/**
 * Deletes one IPAM object by id, audited as `kind:id` with what it was; `visible` first refuses an object outside
 * the caller's department scope (NAT mappings have none to check).
 */
function deleteById(
  kind: string,
  remove: (db: Queryable, id: string) => Promise<unknown>,
  visible: (db: Queryable, scope: Scope, id: string) => Promise<unknown> = async () => undefined,
) {
  return byIdProcedure(WRITERS).mutation(async ({ ctx, input }) => {
    ctx.audit.target = `${kind}:${input.id}`;
    await visible(ctx.db, ctx.scope, input.id);
    ctx.audit.before = await remove(ctx.db, input.id);
    return { ok: true };
  });
}

export const ipamRouter = router({
  vrfs: authedProcedure
    .meta({ roles: ANY_ROLE })
    .query(async ({ ctx }) => ({ items: await ipamRepo.vrfs(ctx.db, ctx.scope.departmentIds) })),

  createVrf: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({
      name: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'letters, digits, _ . : -, at most 64 characters'),
      kind: z.enum(['extranet', 'department', 'global']).default('extranet'),
      departmentId: idSchema.nullable().default(null),
      rd: vrfFields.rd.default(null),
      importTargets: vrfFields.importTargets.default([]),
      exportTargets: vrfFields.exportTargets.default([]),
      planeId: vrfFields.planeId.default(null),
      migrationState: vrfFields.migrationState.default(null),
      description: vrfFields.description.default(''),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-vrf:${input.name}`;
      if (input.departmentId) assertInScope(ctx.scope, input.departmentId, 'that department');
      const v = await createVrf(ctx.db, input);
      ctx.audit.after = v;
      return v;
    }),

  updateVrf: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({ id: idSchema, ...z.object(vrfFields).partial().shape }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-vrf:${input.id}`;
      await visibleVrf(ctx.db, ctx.scope, input.id);
      const { id, ...change } = input;
      const { before, after } = await updateVrf(ctx.db, id, change);
      Object.assign(ctx.audit, { before, after });
      return after;
    }),

  deleteVrf: deleteById('ipam-vrf', deleteVrf, visibleVrf),

  /**
   * The children of a prefix (or the top level of a VRF), a page at a time in address order, each with its
   * utilisation and how many children it has: the tree loads lazily, level by level and page by page.
   */
  prefixes: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ vrfId: idSchema, parentId: idSchema.nullable().default(null), ...pageFields }))
    .query(async ({ ctx, input }) => {
      await visibleVrf(ctx.db, ctx.scope, input.vrfId);
      const page = await ipamRepo.childPage(ctx.db, input.vrfId, input.parentId, input);
      const counts = await ipamRepo.childCounts(ctx.db, page.items.map((p) => p.id));
      return { items: (await withUtilisation(ctx.db, page.items)).map((p) => ({ ...p, children: counts.get(p.id) ?? 0 })), nextCursor: page.nextCursor };
    }),

  /** One prefix: utilisation and the first free blocks (its addresses page through `addresses`). */
  prefix: byIdProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => {
      const p = await visiblePrefix(ctx.db, ctx.scope, input.id);
      const block = blockFromDb(p.cidr);
      const free = await freeSpace(ctx.db, block, p.id, 200);
      const freeBlocks = free.ranges.flatMap((r) => rangeToBlocks(block.family, r)).slice(0, 50).map(formatBlock);
      const [withU] = await withUtilisation(ctx.db, [p]);
      return { ...withU!, freeBlocks, freeListed: sumSizes(free.ranges).toString() };
    }),

  /** A prefix's addresses, a page at a time in address order (a /16 holds 65,534 of them). */
  addresses: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ prefixId: idSchema, ...pageFields }))
    .query(async ({ ctx, input }) => {
      await visiblePrefix(ctx.db, ctx.scope, input.prefixId);
      return ipamRepo.addressPage(ctx.db, input.prefixId, input);
    }),

  createPrefix: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({
      vrfId: idSchema, cidr: cidrSchema, parentId: idSchema.nullable().default(null), kind: kindSchema.default('container'), status: statusSchema.default('active'),
      unitCode: unitCodeSchema.nullable().default(null), planeId: planeIdSchema.nullable().default(null), description: descriptionSchema.default(''),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-prefix:${input.cidr}`;
      await visibleVrf(ctx.db, ctx.scope, input.vrfId);
      const p = await createPrefix(ctx.db, input);
      ctx.audit.after = p;
      return p;
    }),

  deletePrefix: deleteById('ipam-prefix', deletePrefix, visiblePrefix),

  /**
   * The next free prefix of a length in a parent. Runs through the group-commit batcher (its own transaction
   * per batch, with this request's audit record in it), hence selfManaged; failures are audited by the edge.
   */
  allocatePrefix: authedProcedure
    .meta({ roles: WRITERS, selfManaged: true })
    .input(z.object({
      parentId: idSchema, length: z.number().int().min(1, 'from 1').max(128, 'at most 128'), strategy: z.enum(STRATEGIES).default('first-fit'),
      idempotencyKey: keySchema.nullable().default(null), kind: kindSchema.default('assigned'), status: statusSchema.default('active'),
      unitCode: unitCodeSchema.nullable().default(null), planeId: planeIdSchema.nullable().default(null), description: descriptionSchema.default(''),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-prefix:${input.parentId}`;
      // Writers are province-wide today (scope null: nothing to check, two queries saved on the hot path);
      // a scoped writer would be checked here. A missing parent is answered NOT_FOUND by the batch.
      if (ctx.scope.departmentIds !== null) await visiblePrefix(ctx.db, ctx.scope, input.parentId);
      const { prefix, replayed } = await batcherFor(ctx.deps).submit(input, auditActorOf(ctx));
      return { ...prefix, replayed };
    }),

  createAddress: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({
      vrfId: idSchema, address: addressSchema, status: statusSchema.default('active'), unitCode: unitCodeSchema.nullable().default(null),
      planeId: planeIdSchema.nullable().default(null), dnsName: z.string().trim().max(253).nullable().default(null), description: descriptionSchema.default(''),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-address:${input.address}`;
      await visibleVrf(ctx.db, ctx.scope, input.vrfId);
      const a = await createAddress(ctx.db, input);
      ctx.audit.after = a;
      return a;
    }),

  allocateAddress: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({
      prefixId: idSchema, idempotencyKey: keySchema.nullable().default(null), status: statusSchema.default('active'),
      unitCode: unitCodeSchema.nullable().default(null), planeId: planeIdSchema.nullable().default(null),
      dnsName: z.string().trim().max(253).nullable().default(null), description: descriptionSchema.default(''),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-prefix:${input.prefixId}`;
      await visiblePrefix(ctx.db, ctx.scope, input.prefixId);
      const r = await allocateAddress(ctx.db, input);
      ctx.audit.after = r;
      return { ...r.address, replayed: r.replayed };
    }),

  deleteAddress: deleteById('ipam-address', deleteAddress, async (db, scope, id) => {
    const a = await ipamRepo.addressById(db, id);
    if (a) await visibleVrf(db, scope, a.vrfId);
  }),

  templates: authedProcedure
    .meta({ roles: ANY_ROLE })
    .query(async ({ ctx }) => ({ items: await templates.list(ctx.db) })),

  setTemplate: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({
      unitLevel: z.enum(UNIT_LEVELS), planeId: planeIdSchema, ipv4ParentId: idSchema, ipv4Length: z.number().int().min(1).max(32, 'at most 32'),
      ipv6ParentId: idSchema, ipv6Length: z.number().int().min(1).max(128, 'at most 128'), strategy: z.enum(STRATEGIES).default('first-fit'),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-template:${input.unitLevel}@${input.planeId}`;
      const r = await templates.set(ctx.db, input);
      Object.assign(ctx.audit, r);
      return r.after;
    }),

  /** A unit's IPv4 + IPv6 pair on a plane, from its level's template, in one transaction. */
  allocatePair: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({ unitCode: unitCodeSchema, planeId: planeIdSchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `access-unit:${input.unitCode}@${input.planeId}`;
      const r = await allocatePair(ctx.db, input.unitCode, input.planeId);
      ctx.audit.after = { ipv4: r.ipv4.cidr, ipv6: r.ipv6.cidr, replayed: r.replayed };
      return r;
    }),

  /** All or nothing: every bad row comes back as a field error `rows.<row>.<column>`, and nothing is written. */
  importPrefixes: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({ csv: z.string().min(1, 'the file is empty').max(5_000_000, 'at most 5 MB') }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = 'ipam-prefixes:import';
      const { errors, imported } = await importPrefixes(ctx.db, input.csv, await ipamRepo.vrfs(ctx.db, ctx.scope.departmentIds));
      if (errors.length) {
        const rows = [...new Set(errors.map((e) => e.row))].sort((x, y) => x - y);
        throw new InputError(`${rows.length} ${rows.length === 1 ? 'row is' : 'rows are'} wrong; nothing was imported`, 'rows', {
          code: 'csv.rowsInvalid', params: { count: rows.length, rows: rows.slice(0, 20).join(', ') + (rows.length > 20 ? ', …' : '') },
          // The rows' issues (as a ZodRealError) give `issues` and fieldErrors `rows.<row>.<column>`.
          cause: new z.ZodRealError(errors.map((e) => ({ code: 'custom' as const, path: ['rows', e.row, e.column], message: e.message, input: undefined }))),
        });
      }
      ctx.audit.after = { count: imported.length, prefixes: imported.slice(0, 100).map((p) => p.cidr) };
      return { imported: imported.length };
    }),

  /** NAT mappings of migrated department networks (inside space → extranet space), in the VRFs the caller sees. */
  natMappings: pageProcedure(ANY_ROLE)
    .query(async ({ ctx, input }) => natMappings.list(ctx.db, ctx.scope, input)),

  createNatMapping: authedProcedure
    .meta({ roles: WRITERS })
    .input(z.object({ insideVrfId: idSchema, insideCidr: cidrSchema, outsideVrfId: idSchema, outsideCidr: cidrSchema, description: descriptionSchema.default('') }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `ipam-nat:${input.insideCidr}`;
      const m = await natMappings.create(ctx.db, input);
      ctx.audit.after = m;
      return m;
    }),

  deleteNatMapping: deleteById('ipam-nat', (db, id) => natMappings.remove(db, id)),

  exportPrefixes: authedProcedure
    .meta({ roles: ANY_ROLE })
    .input(z.object({ vrfId: idSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const vrfs = input.vrfId ? [await visibleVrf(ctx.db, ctx.scope, input.vrfId)] : await ipamRepo.vrfs(ctx.db, ctx.scope.departmentIds);
      return { csv: await exportPrefixes(ctx.db, vrfs) };
    }),
});
