/**
 * How busy the simulated cloud's hosts and workloads are: a mean CPU and memory use over a 24-hour window per
 * resource, derived from the resource's name (stable across calls and restarts of a spec), unless a spec or a
 * demo set it (`setUtilisation`, a behind-the-back change like the others). Volumes and segments have no use.
 */
import type { ResourceUtilisation } from '../features.ts';
import type { ResourceRef } from '../spi.ts';
import { hashSeed } from './prng.ts';
import type { CloudState } from './cloud-state.ts';

export const UTILISATION_WINDOW_HOURS = 24;

export class UtilisationModel {
  private readonly set = new Map<string, { cpuPercent: number; memoryPercent: number }>();

  constructor(private readonly seed: number) {}

  override(ref: ResourceRef, use: { cpuPercent: number; memoryPercent: number }): void {
    this.set.set(`${ref.tenant}/${ref.kind}/${ref.name}`, use);
  }

  of(state: CloudState): ResourceUtilisation[] {
    const out: ResourceUtilisation[] = [];
    for (const rec of state.resources.values()) {
      const { tenant, kind, name } = rec.resource.spec;
      if ((kind !== 'vm' && kind !== 'workload') || rec.resource.state === 'deleting') continue;
      const use = this.set.get(`${tenant}/${kind}/${name}`) ?? this.derived(`${tenant}/${kind}/${name}`);
      out.push({ tenant, kind, name, ...use, windowHours: UTILISATION_WINDOW_HOURS });
    }
    return out;
  }

  /** Between 10 % and 80 % CPU, memory a little above it: a derived resource is never idle unless set so. */
  private derived(key: string): { cpuPercent: number; memoryPercent: number } {
    const h = hashSeed(this.seed, key);
    const cpu = 10 + (h % 700) / 10;
    return { cpuPercent: cpu, memoryPercent: Math.min(95, cpu + ((h >>> 12) % 150) / 10) };
  }
}
