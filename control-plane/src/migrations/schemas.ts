import { CPU_ARCHES, CPU_VENDORS } from '@ganyun/providers';
import { z } from 'zod';
import { idSchema } from '../schemas.ts';

/** Input schemas of the migrations API (routers/migrations-*.ts). Messages are for people. */

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real date');
export const mondaySchema = dateSchema.refine((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1, 'windows are weeks starting on a Monday');
const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id');

export const candidateInputSchema = z.object({
  systemId: idSchema,
  source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('cloud'), cloudId: cloudIdSchema }), z.object({ kind: z.literal('room'), roomId: idSchema })]),
  sourceArch: z.enum(CPU_ARCHES),
  sourceVendor: z.enum(CPU_VENDORS),
  sourceImage: z.string().trim().min(2, 'name the image, e.g. centos-7.9').max(64),
  targetCloudId: cloudIdSchema,
  targetArch: z.enum(CPU_ARCHES).optional(),
  vcpu: z.number().int().positive().max(100_000),
  dataGiB: z.number().nonnegative().max(10_000_000),
  linkId: idSchema,
  group: z.string().trim().min(1).max(64).nullable().default(null),
}).refine((c) => (c.sourceArch === 'x86_64') === ['intel', 'amd', 'hygon'].includes(c.sourceVendor)
  && (c.sourceArch !== 'loongarch64' || c.sourceVendor === 'loongson'), { message: 'the CPU vendor does not make that architecture (Hygon, Intel and AMD are x86_64; Kunpeng and Phytium arm64; Loongson loongarch64)', path: ['sourceVendor'] });

export const roomInputSchema = z.object({
  name: z.string().trim().min(2).max(100),
  divisionCode: z.string().regex(/^\d{2}(\d{2}){0,2}$/, 'a division code such as 36 or 3601'),
  departmentId: idSchema.nullable().default(null),
});

export const linkInputSchema = z.object({
  label: z.string().trim().min(2).max(100),
  source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('cloud'), cloudId: cloudIdSchema }), z.object({ kind: z.literal('room'), roomId: idSchema })]),
  targetCloudId: cloudIdSchema,
  gbps: z.number().positive('the link needs bandwidth').max(400),
  hoursPerWindow: z.number().positive('the link needs hours in each window').max(168),
});

export const slotSchema = z.object({
  weekday: z.number().int().min(1).max(7),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM'),
  hours: z.number().positive().max(24),
});

export const blackoutInputSchema = z.object({
  from: dateSchema,
  to: dateSchema,
  reason: z.string().trim().min(2, 'say why').max(200),
  departmentIds: z.array(idSchema).min(1).max(500).nullable().default(null),
}).refine((b) => b.to >= b.from, { message: 'the blackout ends before it starts', path: ['to'] });

const poolSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{1,40}(:dr)?\/(x86_64|arm64|loongarch64)$/, 'a pool key <cloud>/<arch> or <cloud>:dr/<arch>'),
  label: z.string().trim().min(1).max(100),
  steps: z.array(z.object({ fromWindow: z.number().int().min(0), vcpu: z.number().nonnegative().max(10_000_000) })).min(1).max(260),
});

export const planInputSchema = z.object({
  name: z.string().trim().min(2).max(100),
  firstWeek: mondaySchema,
  weeks: z.number().int().min(1).max(260),
  operatorHours: z.number().nonnegative().max(100_000),
  candidateIds: z.array(idSchema).max(20_000).default([]),
});

export const capacityInputSchema = z.object({
  planId: idSchema,
  operatorHours: z.array(z.number().nonnegative().max(100_000)).max(260).optional(),
  pools: z.array(poolSchema).max(500).optional(),
}).refine((c) => !c.pools || new Set(c.pools.map((p) => p.key)).size === c.pools.length, { message: 'a pool appears twice', path: ['pools'] })
  .superRefine((c, ctx) => {
    // Named by its own code, so the console says which capacity is empty (issue 12, bad input).
    for (const [i, p] of (c.pools ?? []).entries()) {
      if (!p.steps.some((s) => s.vcpu > 0)) ctx.addIssue({ code: 'custom', message: `capacity ${p.label} is empty: give it vCPU in some window`, path: ['pools', i], params: { code: 'migration.capacityEmpty', capacity: p.label } });
    }
    if (c.operatorHours && !c.operatorHours.some((h) => h > 0)) {
      ctx.addIssue({ code: 'custom', message: 'operator hours are empty: no hours in any window', path: ['operatorHours'], params: { code: 'migration.capacityEmpty', capacity: 'operator hours' } });
    }
  });

export const solveInputSchema = z.object({ planId: idSchema, timeLimitSeconds: z.number().min(0.5).max(120).default(10) });
export const whatIfInputSchema = solveInputSchema.extend({
  cancelWindows: z.array(z.number().int().min(0)).max(260).default([]),
  addCandidates: z.array(idSchema).max(5000).default([]),
});
