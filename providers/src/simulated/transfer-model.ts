/**
 * Migrations on a simulated cloud: copies into it progress at their link's rate on the sim clock (a
 * 1 TiB copy over 1 Gbit/s takes about 2.4 hours, scaled by the cloud's `timeScale`), sources frozen on
 * it, and systems cut over to it with their entries. The same model answers as source and as target:
 * a system is only ever one side of a move on a given cloud.
 */
import { gibTransferred, type CopyProgress, type CutOverEntry, type MigrationOperation, type MigrationRequests, type MigrationResult, type MigrationSystemState } from '../migration.ts';
import type { ProviderError } from '../errors.ts';

interface Copy {
  zone: string;
  fromCloud: string;
  totalGiB: number;
  gbps: number;
  startedAt: number;
}

interface SystemRecord {
  copy?: Copy;
  frozen: boolean;
  servingZone?: string;
  entries: CutOverEntry[];
}

export interface TransferModelContext {
  now(): number;
  /** Multiplies durations (0.001: a thousand times faster than a real cloud). */
  timeScale: number;
  zones: readonly string[];
  zoneDown(zone: string): boolean;
  error(op: string, code: ProviderError['code'], message: string, reason?: string): ProviderError;
}

export class TransferModel {
  private readonly systems = new Map<string, SystemRecord>();

  constructor(private readonly ctx: () => TransferModelContext) {}

  apply<O extends MigrationOperation>(op: O, req: MigrationRequests[O]): { value: MigrationResult; changed: boolean } {
    const c = this.ctx();
    if ('zone' in req) {
      if (!c.zones.includes(req.zone)) throw c.error(op, 'not-found', `zone ${req.zone} does not exist`);
      if (c.zoneDown(req.zone)) throw c.error(op, 'unavailable', `zone ${req.zone} is down`, 'zone-down');
    }
    const rec = this.record(req.system);
    switch (op) {
      case 'startCopy': {
        const r = req as MigrationRequests['startCopy'];
        if (!(r.dataGiB >= 0) || !(r.gbps > 0)) throw c.error(op, 'invalid', 'a copy needs dataGiB ≥ 0 and gbps > 0');
        if (rec.copy) {
          const same = rec.copy.zone === r.zone && rec.copy.fromCloud === r.fromCloud && rec.copy.totalGiB === r.dataGiB;
          if (!same) throw c.error(op, 'conflict', `${r.system} is already being copied into ${rec.copy.zone} from ${rec.copy.fromCloud}`);
          return this.result(false);
        }
        rec.copy = { zone: r.zone, fromCloud: r.fromCloud, totalGiB: r.dataGiB, gbps: r.gbps, startedAt: c.now() };
        return this.result(true);
      }
      case 'cancelCopy': {
        if (rec.servingZone !== undefined) throw c.error(op, 'conflict', `${req.system} serves from here: revert the cut-over first`);
        const had = rec.copy !== undefined;
        delete rec.copy;
        return this.result(had);
      }
      case 'freezeSource':
      case 'thawSource': {
        const frozen = op === 'freezeSource';
        if (rec.frozen === frozen) return this.result(false);
        rec.frozen = frozen;
        return this.result(true);
      }
      case 'cutOver': {
        const r = req as MigrationRequests['cutOver'];
        const progress = rec.copy ? this.progress(rec.copy) : undefined;
        if (!progress || progress.zone !== r.zone) throw c.error(op, 'conflict', `${r.system} has no copy in ${r.zone} to cut over to`);
        if (!progress.done) throw c.error(op, 'conflict', `${r.system}: the copy is not complete (${progress.copiedGiB.toFixed(1)} of ${progress.totalGiB} GiB)`, 'copy-incomplete');
        if (rec.servingZone === r.zone) return this.result(false);
        rec.servingZone = r.zone;
        rec.entries = r.entries.map((e) => ({ ...e }));
        return this.result(true);
      }
      case 'revertCutOver': {
        if (rec.servingZone === undefined) return this.result(false);
        delete rec.servingZone;
        rec.entries = [];
        return this.result(true);
      }
    }
    throw c.error(op, 'invalid', `unknown migration operation ${op as string}`);
  }

  snapshot(): MigrationSystemState[] {
    return [...this.systems.entries()]
      .filter(([, r]) => r.copy || r.frozen || r.servingZone)
      .map(([system, r]) => ({ system, ...(r.copy ? { copy: this.progress(r.copy) } : {}), frozen: r.frozen, servingHere: r.servingZone !== undefined, entries: r.entries.map((e) => ({ ...e })) }));
  }

  private progress(copy: Copy): CopyProgress {
    const c = this.ctx();
    const seconds = Math.max(0, c.now() - copy.startedAt) / 1000 / (c.timeScale || 1);
    const copied = Math.min(copy.totalGiB, gibTransferred(copy.gbps, seconds));
    const done = copied >= copy.totalGiB;
    const rate = gibTransferred(copy.gbps, 1);
    return {
      zone: copy.zone, fromCloud: copy.fromCloud, totalGiB: copy.totalGiB, copiedGiB: copied, gbps: copy.gbps,
      startedAt: new Date(copy.startedAt).toISOString(), done, etaSeconds: done ? 0 : ((copy.totalGiB - copied) / rate) * (c.timeScale || 1),
    };
  }

  private record(system: string): SystemRecord {
    let r = this.systems.get(system);
    if (!r) this.systems.set(system, (r = { frozen: false, entries: [] }));
    return r;
  }

  private result(changed: boolean): { value: MigrationResult; changed: boolean } {
    return { value: { outcome: changed ? 'done' : 'already' }, changed };
  }
}
