import { z } from 'zod';
import { assertInScope } from '../auth/scope.ts';
import { NotFoundError } from '../errors.ts';
import { probeNow, type ProbeRecord } from '../federation/probes.ts';
import { probesRepo } from '../federation/probes-repo.ts';
import { authedProcedure, commitUnitOfWork } from '../trpc.ts';
import { checkFromInventory } from './access-check.ts';
import { accessRepo, checksRepo } from './access-repo.ts';
import { recordReachability } from './reachability.ts';
import { CHECKERS, familySchema, limitSchema, loadUnit, planeIdSchema, requirePlane, unitCodeSchema } from './schemas.ts';

/** Blockers on the unit's own side: they make the unit unreachable on that plane and family, whatever the target. */
const UNIT_SIDE = new Set(['no-link', 'link-down', 'family-not-on-link', 'device-down', 'no-address', 'plane-family']);

/** Procedures of the extranet router (flat: `extranet.<name>`), composed in routers/extranet.ts. */
export const extranetAccessProcedures = {
  /**
   * Can unit X reach system Y over plane P and family F? The inventory answer (hop by hop, with the reason
   * when blocked) is always given and stored; with `live`, a probe runs from the unit's PE through its
   * SSH-managed device (`ping [ipv6] -vpn-instance <unit VRF>` to the cloud's probe address) and is stored too.
   * Nothing is written when the request is refused (unknown unit, plane, system; another department's system).
   */
  accessCheck: authedProcedure
    // The SSH round trip of a live probe (up to its timeout on a hung device) runs before any transaction
    // opens; the results and the audit record are written together afterwards (commitUnitOfWork).
    .meta({ roles: CHECKERS, selfManaged: true })
    .input(z.object({ unitCode: unitCodeSchema, systemId: z.uuid('a business system id'), planeId: planeIdSchema, family: familySchema, live: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `unit:${input.unitCode}`;
      const db = ctx.deps.store;
      const unit = await loadUnit(db, input.unitCode);
      await requirePlane(db, input.planeId);
      const system = await accessRepo.system(db, input.systemId);
      if (!system) throw new NotFoundError(`no business system ${input.systemId}`);
      assertInScope(ctx.scope, system.departmentId, 'the business system');
      const at = new Date();
      const inv = await checkFromInventory(db, unit, system, input.planeId, input.family);
      const base = { unitCode: unit.code, systemId: system.id, planeId: input.planeId, family: input.family };

      let live: { status: 'unavailable'; message: string; messageZh: string } | { status: 'ran'; probe: ProbeRecord } | null = null;
      if (input.live) {
        const { peCloudId, peName, target, vpnInstance } = inv.probe;
        if (!peName) live = { status: 'unavailable', message: 'no link on this plane: there is no PE to probe from', messageZh: '该平面上没有链路，没有可发起探测的 PE' };
        else if (!peCloudId) live = { status: 'unavailable', message: `${peName} has no SSH-managed device behind it`, messageZh: `${peName} 背后没有经 SSH 管理的设备` };
        else if (!target) live = { status: 'unavailable', message: `the cloud has no ${input.family} probe address on ${input.planeId}`, messageZh: `云在 ${input.planeId} 上没有 ${input.family} 探测地址` };
        else {
          const kind = await accessRepo.cloudKind(db, peCloudId);
          const probe = await probeNow(
            { ...ctx.deps, requestedBy: ctx.caller.username },
            { cloudId: peCloudId, target, count: 3, ...(vpnInstance && kind === 'network-device' ? { vpnInstance } : {}) },
          );
          live = { status: 'ran', probe };
        }
      }
      ctx.audit.after = { systemId: system.id, planeId: input.planeId, family: input.family, ok: inv.ok, reason: inv.reason, live: live?.status === 'ran' ? live.probe.outcome : live?.status ?? null };

      await commitUnitOfWork(ctx, 'extranet.accessCheck', async (tx) => {
        await checksRepo.insert(tx, { ...base, source: 'inventory', ok: inv.ok, reason: inv.reason, target: inv.probe.target, rttMs: null, lossPercent: null, path: inv.path, at });
        if (inv.ok || inv.reasons.some((r) => UNIT_SIDE.has(r))) await recordReachability(tx, { ...base, ok: inv.ok, source: 'inventory', at });
        if (live?.status !== 'ran') return;
        const { probe } = live;
        const ok = probe.outcome === 'reachable';
        await probesRepo.insert(tx, probe);
        await checksRepo.insert(tx, {
          ...base, source: 'live', ok, reason: ok ? null : probe.outcome === 'error' ? `probe-error: ${probe.errorCode}` : 'unreachable',
          target: probe.target, rttMs: probe.rttMs?.avg ?? null, lossPercent: probe.lossPercent, path: [], at: new Date(probe.finishedAt),
        });
        // A probe that could not run says nothing about reachability.
        if (probe.outcome !== 'error') await recordReachability(tx, { ...base, ok, source: 'live', at: new Date(probe.finishedAt) });
      });
      return { ...inv, system: { id: system.id, name: system.name, cloudId: system.cloudId }, live, at: at.toISOString() };
    }),

  /** Stored checks of a unit (optionally towards one system), newest first: the trend of inventory and live results. */
  checkHistory: authedProcedure
    .meta({ roles: [...CHECKERS, 'auditor'] })
    .input(z.object({ unitCode: unitCodeSchema, systemId: z.uuid().optional(), limit: limitSchema }))
    .query(async ({ ctx, input }) => {
      await loadUnit(ctx.db, input.unitCode);
      if (input.systemId) {
        const s = await accessRepo.system(ctx.db, input.systemId);
        if (!s) throw new NotFoundError(`no business system ${input.systemId}`);
        assertInScope(ctx.scope, s.departmentId, 'the business system');
      }
      // Department staff see checks towards their own systems only.
      return { items: await checksRepo.history(ctx.db, ctx.scope, input) };
    }),

  /** Systems a caller may check (their department's, or all), for the access-check tool's picker. */
  checkableSystems: authedProcedure
    .meta({ roles: CHECKERS })
    .input(z.object({ q: z.string().trim().max(60).optional() }).default({}))
    .query(async ({ ctx, input }) => ({ items: await accessRepo.checkableSystems(ctx.db, ctx.scope, input.q) })),
};
