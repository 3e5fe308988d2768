import { z } from 'zod';
import type { MigrationMethod } from './method.ts';

/**
 * Operator hours a move takes inside its window, by method and size class. The table is the operators'
 * own estimate and is configurable (migrations.setEffortModel); the defaults below are a starting point:
 * a rehost is a copy and a cut-over, a replatform adds an OS re-install and re-testing, a rebuild adds
 * deploying and verifying recompiled software.
 */

export const SIZE_CLASSES = ['S', 'M', 'L', 'XL'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

const hoursBySize = z.object({ S: z.number().positive().max(10_000), M: z.number().positive().max(10_000), L: z.number().positive().max(10_000), XL: z.number().positive().max(10_000) });

export const effortModelSchema = z.object({
  /** A system is the first class whose limits it fits (XL: everything larger). */
  limits: z.object({
    S: z.object({ vcpu: z.number().positive(), dataGiB: z.number().positive() }),
    M: z.object({ vcpu: z.number().positive(), dataGiB: z.number().positive() }),
    L: z.object({ vcpu: z.number().positive(), dataGiB: z.number().positive() }),
  }).refine((l) => l.S.vcpu <= l.M.vcpu && l.M.vcpu <= l.L.vcpu && l.S.dataGiB <= l.M.dataGiB && l.M.dataGiB <= l.L.dataGiB, 'size limits must grow from S to L'),
  hours: z.object({ rehost: hoursBySize, replatform: hoursBySize, rebuild: hoursBySize }),
});
export type EffortModel = z.infer<typeof effortModelSchema>;

export const DEFAULT_EFFORT: EffortModel = {
  limits: { S: { vcpu: 8, dataGiB: 200 }, M: { vcpu: 32, dataGiB: 1024 }, L: { vcpu: 128, dataGiB: 5120 } },
  hours: {
    rehost: { S: 4, M: 8, L: 16, XL: 24 },
    replatform: { S: 8, M: 16, L: 32, XL: 48 },
    rebuild: { S: 16, M: 32, L: 64, XL: 96 },
  },
};

export function sizeClass(model: EffortModel, size: { vcpu: number; dataGiB: number }): SizeClass {
  for (const c of ['S', 'M', 'L'] as const) if (size.vcpu <= model.limits[c].vcpu && size.dataGiB <= model.limits[c].dataGiB) return c;
  return 'XL';
}

export function estimateEffort(model: EffortModel, method: MigrationMethod, size: { vcpu: number; dataGiB: number }): { size: SizeClass; hours: number } {
  const c = sizeClass(model, size);
  return { size: c, hours: model.hours[method][c] };
}

/** Hours to copy `dataGiB` over a link of `gbps` (what the simulated clouds take to replicate, too). */
export function transferHours(dataGiB: number, gbps: number): number {
  return (dataGiB * 2 ** 30 * 8) / (gbps * 1e9) / 3600;
}
