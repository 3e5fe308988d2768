import { z } from 'zod';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { ipamRepo } from '../ipam/ipam-repo.ts';
import type { Queryable } from '../store/store.ts';
import { authedProcedure } from '../trpc.ts';
import { checksRepo } from './access-repo.ts';
import { treeChildren } from './coverage.ts';
import { attachmentsRepo, devicesRepo, linksRepo, planesRepo, type Device, type Link } from './inventory-repo.ts';
import {
  EDITORS, FIGURE_READERS, READERS, deviceNameSchema, ductSchema, familySchema, ipSchema, levelSchema, limitSchema, loadUnit, phoneSchema, planeIdSchema,
  requirePlane, requireUnit, unitCodeSchema,
} from './schemas.ts';
import { PARENT_LEVELS, unitsRepo } from './units-repo.ts';
import { pageFields } from '../schemas.ts';

const idSchema = z.uuid('must be an id (UUID)');
const MAX_PLANES = 5; // readiness bits: 6 per plane in a 32-bit integer

const planeInput = z.object({
  id: planeIdSchema,
  name: z.string().trim().min(1, 'required').max(60, 'at most 60 characters'),
  nameEn: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  technology: z.enum(['mpls-vpn', 'srv6', 'ip'], 'mpls-vpn, srv6 or ip'),
  addressFamilies: z.array(familySchema).min(1, 'at least one address family').max(2).refine((f) => new Set(f).size === f.length, 'families must not repeat'),
});

const unitInput = z.object({
  code: unitCodeSchema,
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  level: levelSchema,
  parentCode: unitCodeSchema.nullable(),
  siteKind: z.enum(['department-site', 'service-centre', 'other']).nullable().optional(),
  contactName: z.string().trim().max(50, 'at most 50 characters').nullable().optional(),
  contactPhone: phoneSchema.nullable().optional(),
});

const deviceInput = z.object({
  name: deviceNameSchema,
  role: z.enum(['pe', 'aggregation', 'ce'], 'pe, aggregation or ce'),
  planeId: planeIdSchema.nullable(),
  vendor: z.string().trim().min(1, 'required').max(40),
  model: z.string().trim().min(1, 'required').max(60),
  mgmtAddress: ipSchema.nullable(),
  unitCode: unitCodeSchema.nullable().optional(),
  cloudId: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id').nullable().optional(),
});

const linkInput = z.object({
  circuitId: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/, 'a circuit id: letters, digits, . _ / -'),
  unitCode: unitCodeSchema,
  planeId: planeIdSchema,
  peDeviceId: idSchema,
  interfaceName: z.string().trim().min(1).max(64, 'at most 64 characters').nullable().optional(),
  aggDeviceId: idSchema.nullable().optional(),
  ceDeviceId: idSchema.nullable().optional(),
  bandwidthMbps: z.number().int('a whole number').min(1, 'at least 1 Mb/s').max(1_000_000),
  carrier: z.string().trim().min(1, 'required').max(40),
  ducts: z.array(ductSchema).max(20).default([]),
  families: z.array(familySchema).min(1, 'at least one family').max(2).refine((f) => new Set(f).size === f.length, 'families must not repeat'),
  state: z.enum(['up', 'down', 'planned']).default('up'),
});

/** A device named in a link must exist, have the role, and serve the link's plane (or every plane). */
async function requireDevice(db: Queryable, id: string, role: Device['role'], planeId: string, field: string): Promise<Device> {
  const d = await devicesRepo.byId(db, id);
  if (!d) throw new InputError(`no device ${id}`, field);
  if (d.role !== role) throw new InputError(`${d.name} is a ${d.role}, not a ${role}`, field);
  if (role !== 'ce' && d.planeId !== null && d.planeId !== planeId) throw new InputError(`${d.name} serves ${d.planeId}, not ${planeId}`, field);
  return d;
}

const linkImage = (l: Link) => ({ circuitId: l.circuitId, unitCode: l.unitCode, planeId: l.planeId, pe: l.peName, aggregation: l.aggName, state: l.state, carrier: l.carrier, ducts: l.ducts, families: l.families });

/**
 * The procedure that switches a device or a link to a state (the two differ only in their states, repository
 * and audit name): refused NOT_FOUND when it does not exist, otherwise audited under its name with the state
 * before and after, and answered as it now is.
 */
function stateSwitch<R extends { state: string }, const S extends readonly [string, ...string[]]>(
  states: S,
  what: string,
  repo: { byId(db: Queryable, id: string): Promise<R | null>; setState(db: Queryable, id: string, state: S[number]): Promise<void> },
  target: (row: R) => string,
) {
  return authedProcedure
    .meta({ roles: EDITORS })
    .input(z.object({ id: idSchema, state: z.enum(states) }))
    .mutation(async ({ ctx, input }) => {
      const state: S[number] = input.state;
      const before = await repo.byId(ctx.db, input.id);
      if (!before) throw new NotFoundError(`no ${what} ${input.id}`);
      ctx.audit.target = target(before);
      await repo.setState(ctx.db, input.id, state);
      Object.assign(ctx.audit, { before: { state: before.state }, after: { state } });
      return { ...before, state };
    });
}

/** Procedures of the extranet router (flat: `extranet.<name>`), composed in routers/extranet.ts. */
export const extranetInventoryProcedures = {
  planes: authedProcedure.meta({ roles: FIGURE_READERS }).input(z.object({}).default({})).query(async ({ ctx }) => ({ items: await planesRepo.list(ctx.db) })),

  savePlane: authedProcedure
    .meta({ roles: ['admin', 'network-engineer'] })
    .input(planeInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `plane:${input.id}`;
      const before = await planesRepo.byId(ctx.db, input.id);
      if (!before && (await planesRepo.list(ctx.db)).length >= MAX_PLANES) throw new InputError(`at most ${MAX_PLANES} planes`, 'id');
      await planesRepo.upsert(ctx.db, input);
      Object.assign(ctx.audit, { before, after: input });
      return input;
    }),

  /** Children of a unit (the root when parentCode is absent) with the coverage and readiness of each subtree. */
  tree: authedProcedure
    .meta({ roles: FIGURE_READERS })
    .input(z.object({ parentCode: unitCodeSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const parent = input.parentCode ? await loadUnit(ctx.db, input.parentCode) : null;
      return { items: await treeChildren(ctx.db, parent) };
    }),

  search: authedProcedure
    .meta({ roles: [...READERS, 'department-admin', 'department-user'] })
    .input(z.object({ q: z.string().trim().min(1, 'type a code or part of a name').max(40), limit: limitSchema }))
    .query(async ({ ctx, input }) => ({ items: await unitsRepo.search(ctx.db, input.q, input.limit) })),

  /** Unit detail: the unit, its ancestry, links on every plane, addresses (IPAM), the readiness matrix and recent checks. */
  unit: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ code: unitCodeSchema }))
    .query(async ({ ctx, input }) => {
      const unit = await loadUnit(ctx.db, input.code);
      const [ancestry, links, addresses, reach, checks, planes, children] = [
        await unitsRepo.ancestry(ctx.db, unit.code), await linksRepo.byUnit(ctx.db, unit.code),
        await unitsRepo.addresses(ctx.db, unit.code),
        await unitsRepo.reachability(ctx.db, unit.code),
        await checksRepo.history(ctx.db, ctx.scope, { unitCode: unit.code, limit: 20 }),
        await planesRepo.list(ctx.db),
        await unitsRepo.childCount(ctx.db, unit.code),
      ];
      const matrix = planes.flatMap((p) => (['ipv4', 'ipv6'] as const).map((family) => {
        const r = reach.find((x) => x.planeId === p.id && x.family === family);
        return {
          planeId: p.id, family,
          link: links.some((l) => l.planeId === p.id && l.state === 'up' && l.families.includes(family)),
          addr: addresses.some((a) => a.planeId === p.id && a.family === family),
          reach: r?.ok ?? false,
          reachAt: r ? new Date(r.at).toISOString() : null,
          reachSource: r?.source ?? null,
        };
      }));
      return { unit, ancestry, links, addresses, matrix, checks, children: children[0]!.n };
    }),

  createUnit: authedProcedure
    .meta({ roles: EDITORS })
    .input(unitInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `unit:${input.code}`;
      if (await unitsRepo.byCode(ctx.db, input.code)) throw new ConflictError(`unit ${input.code} exists`, 'code');
      if (input.level === 'province') {
        if (input.parentCode) throw new InputError('a province has no parent', 'parentCode');
      } else {
        if (!input.parentCode) throw new InputError(`a ${input.level} needs a parent`, 'parentCode');
        const parent = await requireUnit(ctx.db, input.parentCode, 'parentCode');
        if (!PARENT_LEVELS[input.level].includes(parent.level)) throw new InputError(`a ${input.level} hangs off a ${PARENT_LEVELS[input.level].join(' or ')}, not a ${parent.level}`, 'parentCode');
      }
      if (input.siteKind && input.level !== 'site') throw new InputError('only sites have a site kind', 'siteKind');
      await unitsRepo.insertMany(ctx.db, [{ ...input, siteKind: input.siteKind ?? null }]);
      const after = await unitsRepo.byCode(ctx.db, input.code);
      ctx.audit.after = after;
      return after!;
    }),

  updateUnit: authedProcedure
    .meta({ roles: EDITORS })
    .input(unitInput.pick({ code: true, name: true, contactName: true, contactPhone: true }).partial({ name: true }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `unit:${input.code}`;
      const before = await loadUnit(ctx.db, input.code);
      await unitsRepo.update(ctx.db, input.code, input);
      const after = await unitsRepo.byCode(ctx.db, input.code);
      Object.assign(ctx.audit, { before, after });
      return after!;
    }),

  devices: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ role: z.enum(['pe', 'aggregation', 'ce']).optional(), planeId: planeIdSchema.optional(), search: z.string().trim().max(60).optional(), ...pageFields }).prefault({}))
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      return devicesRepo.page(ctx.db, filter, { cursor, limit });
    }),

  createDevice: authedProcedure
    .meta({ roles: EDITORS })
    .input(deviceInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `device:${input.name}`;
      if ((await devicesRepo.byNames(ctx.db, [input.name])).size) throw new ConflictError(`a device named ${input.name} exists`, 'name');
      if (input.planeId) await requirePlane(ctx.db, input.planeId);
      if (input.unitCode) await requireUnit(ctx.db, input.unitCode);
      if (input.cloudId && !(await cloudsRepo.byId(ctx.db, input.cloudId))) throw new InputError(`no cloud ${input.cloudId} (register the SSH-managed device first)`, 'cloudId');
      const id = await devicesRepo.insert(ctx.db, { ...input, unitCode: input.unitCode ?? null, cloudId: input.cloudId ?? null, state: 'up' });
      const after = await devicesRepo.byId(ctx.db, id);
      ctx.audit.after = after;
      return after!;
    }),

  setDeviceState: stateSwitch(['up', 'down'], 'device', devicesRepo, (d) => `device:${d.name}`),

  interfaces: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ deviceId: idSchema }))
    .query(async ({ ctx, input }) => ({ items: await devicesRepo.interfaces(ctx.db, input.deviceId) })),

  createLink: authedProcedure
    .meta({ roles: EDITORS })
    .input(linkInput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `link:${input.circuitId}`;
      await requireUnit(ctx.db, input.unitCode);
      const plane = await requirePlane(ctx.db, input.planeId);
      const missing = input.families.filter((f) => !plane.addressFamilies.includes(f));
      if (missing.length) throw new InputError(`${plane.id} does not carry ${missing.join(', ')}`, 'families');
      if (await linksRepo.idOfCircuit(ctx.db, input.circuitId)) throw new ConflictError(`circuit ${input.circuitId} exists`, 'circuitId');
      const pe = await requireDevice(ctx.db, input.peDeviceId, 'pe', plane.id, 'peDeviceId');
      const agg = input.aggDeviceId ? await requireDevice(ctx.db, input.aggDeviceId, 'aggregation', plane.id, 'aggDeviceId') : null;
      if (input.ceDeviceId) await requireDevice(ctx.db, input.ceDeviceId, 'ce', plane.id, 'ceDeviceId');
      const interfaceId = input.interfaceName ? await devicesRepo.ensureInterface(ctx.db, (agg ?? pe).id, input.interfaceName, input.unitCode) : null;
      await linksRepo.upsertMany(ctx.db, [{ ...input, interfaceId, aggDeviceId: input.aggDeviceId ?? null, ceDeviceId: input.ceDeviceId ?? null }]);
      const after = (await linksRepo.byId(ctx.db, (await linksRepo.idOfCircuit(ctx.db, input.circuitId))!))!;
      ctx.audit.after = linkImage(after);
      return after;
    }),

  setLinkState: stateSwitch(['up', 'down', 'planned'], 'link', linksRepo, (l) => `link:${l.circuitId}`),

  deleteLink: authedProcedure
    .meta({ roles: EDITORS })
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const before = await linksRepo.byId(ctx.db, input.id);
      if (!before) throw new NotFoundError(`no link ${input.id}`);
      ctx.audit.target = `link:${before.circuitId}`;
      await linksRepo.remove(ctx.db, input.id);
      ctx.audit.before = linkImage(before);
      return { ok: true };
    }),

  attachments: authedProcedure
    .meta({ roles: READERS })
    .input(z.object({ cloudId: z.string().max(41).optional() }).default({}))
    .query(async ({ ctx, input }) => ({ items: await attachmentsRepo.list(ctx.db, input.cloudId) })),

  /** How a cloud attaches to a plane: PE, VRF (IPAM), prefixes and the addresses live probes ping. */
  saveAttachment: authedProcedure
    .meta({ roles: EDITORS })
    .input(z.object({
      cloudId: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id'), planeId: planeIdSchema, peDeviceId: idSchema, vrfId: idSchema.nullable(),
      prefixV4: z.cidrv4('an IPv4 prefix such as 172.16.0.0/24').nullable(), prefixV6: z.cidrv6('an IPv6 prefix such as 240e:6c0:1::/48').nullable(),
      probeV4: z.ipv4('an IPv4 address').nullable(), probeV6: z.ipv6('an IPv6 address').nullable(), state: z.enum(['up', 'down']).default('up'),
    }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `attachment:${input.cloudId}/${input.planeId}`;
      if (!(await cloudsRepo.byId(ctx.db, input.cloudId))) throw new InputError(`no cloud ${input.cloudId}`, 'cloudId');
      await requirePlane(ctx.db, input.planeId);
      await requireDevice(ctx.db, input.peDeviceId, 'pe', input.planeId, 'peDeviceId');
      if (input.vrfId && !(await ipamRepo.vrfById(ctx.db, input.vrfId))) throw new InputError(`no VRF ${input.vrfId}`, 'vrfId');
      const before = (await attachmentsRepo.list(ctx.db, input.cloudId)).find((a) => a.planeId === input.planeId) ?? null;
      await attachmentsRepo.upsert(ctx.db, input);
      Object.assign(ctx.audit, { before, after: input });
      return input;
    }),
};
