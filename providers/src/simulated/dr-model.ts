/**
 * Disaster recovery on a simulated cloud: per system and zone, whether the system is the primary,
 * a replica (replicating from which site, in which mode) or promoted; whether it serves traffic;
 * its standby workloads; and the drill sandboxes with what each holds.
 *
 * A sandbox is also a tenant space labelled `ganyun.dr/sandbox`, so inventory sync and the sweeper
 * see it like anything else on the cloud. Operations on a zone that is down fail (`unavailable`,
 * reason `zone-down`): a lost centre answers nothing.
 *
 * The call log records every DR call that reached the cloud and whether it touched production
 * (anything outside a sandbox): the cloud's own testimony that a drill left production alone.
 */
import { SANDBOX_LABELS, type DrObject, type DrOperation, type DrRequests, type DrResult, type DrSandbox, type DrSiteState, type DrState } from '../dr.ts';
import type { Labels } from '../spi.ts';
import type { CloudState } from './cloud-state.ts';
import { hashSeed, Prng } from './prng.ts';
import { createTenantSpace, deleteTenantSpace } from './tenant-ops.ts';

interface Site {
  readonly system: string;
  readonly zone: string;
  role: DrSiteState['role'];
  serving: boolean;
  standbyReplicas: number;
  replicatingFrom?: { cloud: string; zone: string; mode: 'sync' | 'async'; broken: boolean; lagAtBreak?: number };
}

interface Sandbox {
  readonly sandbox: string;
  readonly zone: string;
  readonly system: string;
  readonly labels: Labels;
  readonly objects: Map<string, DrObject>;
  readonly createdAt: string;
}

export interface CallLogEntry {
  readonly seq: number;
  readonly at: string;
  readonly op: string;
  readonly idempotencyKey: string;
  readonly request: unknown;
  /** True when the call changed (or would have changed) something outside every sandbox. */
  readonly production: boolean;
  readonly outcome: 'done' | 'already' | 'refused';
}

const SANDBOX_QUOTA = { vcpu: 1024, memoryGiB: 4096, storageGiB: 100_000, gpu: 0 };

export class DrModel {
  private readonly sites = new Map<string, Site>();
  private readonly sandboxes = new Map<string, Sandbox>();
  readonly log: CallLogEntry[] = [];

  constructor(private readonly state: () => CloudState) {}

  /** Test hook: the system already runs here as the primary (as it did before Ganyun protected it). */
  seedPrimary(system: string, zone: string): void {
    this.sites.set(`${system}@${zone}`, { system, zone, role: 'primary', serving: true, standbyReplicas: 0 });
  }

  apply<O extends DrOperation>(op: O, req: DrRequests[O]): { value: DrResult; changed: boolean } {
    const s = this.state();
    const zone = 'zone' in req ? req.zone : this.sandboxes.get((req as DrRequests['deleteSandbox']).sandbox)?.zone;
    if (zone !== undefined) {
      if (!s.zones.includes(zone)) throw s.error(op, 'not-found', `zone ${zone} does not exist`);
      if (s.zoneStatus.get(zone) === 'down' && op !== 'deleteSandbox') throw s.error(op, 'unavailable', `zone ${zone} is down`, 'zone-down');
      if (s.zoneStatus.get(zone) === 'down') throw s.error(op, 'unavailable', `zone ${zone} is down: its sandbox cannot be removed until it is back`, 'zone-down');
    }
    switch (op) {
      case 'createSandbox':
        return this.createSandbox(req as DrRequests['createSandbox']);
      case 'deleteSandbox':
        return this.deleteSandbox(req as DrRequests['deleteSandbox']);
      case 'replicate':
        return this.replicate(req as DrRequests['replicate']);
      case 'promoteReplica':
        return this.promote(req as DrRequests['promoteReplica']);
      case 'scaleStandby':
        return this.scale(req as DrRequests['scaleStandby']);
      case 'switchTraffic':
        return this.switchTraffic(req as DrRequests['switchTraffic']);
      case 'stopSource':
        return this.stopSource(req as DrRequests['stopSource']);
      case 'breakLink':
        return this.breakLink(req as DrRequests['breakLink']);
    }
    throw s.error(op, 'invalid', `unknown DR operation ${String(op)}`);
  }

  /** Whether a call touches production, judged by the cloud from what it acts on (not from the caller's intent). */
  touchesProduction(op: DrOperation, req: unknown): boolean {
    if (op === 'createSandbox' || op === 'deleteSandbox') return false;
    const sandbox = (req as { sandbox?: string }).sandbox;
    return sandbox === undefined || !this.sandboxes.has(sandbox);
  }

  record(entry: Omit<CallLogEntry, 'seq' | 'at'>): void {
    this.log.push({ seq: this.log.length + 1, at: this.state().clock.iso(), ...entry });
  }

  snapshot(): DrState {
    return {
      sites: [...this.sites.values()].map((x) => ({
        system: x.system, zone: x.zone, role: x.role, serving: x.serving, standbyReplicas: x.standbyReplicas,
        ...(x.replicatingFrom ? { replicatingFrom: { cloud: x.replicatingFrom.cloud, zone: x.replicatingFrom.zone, mode: x.replicatingFrom.mode, broken: x.replicatingFrom.broken } } : {}),
      })),
      sandboxes: [...this.sandboxes.values()].map((b): DrSandbox => ({ sandbox: b.sandbox, zone: b.zone, system: b.system, labels: b.labels, objects: [...b.objects.values()], createdAt: b.createdAt })),
    };
  }

  // ------------------------------------------------------------- operations

  private createSandbox(r: DrRequests['createSandbox']) {
    const s = this.state();
    const existing = this.sandboxes.get(r.sandbox);
    if (existing) {
      if (existing.zone !== r.zone || existing.system !== r.system) throw s.error('createSandbox', 'conflict', `sandbox ${r.sandbox} exists for another system or zone`);
      return { value: { outcome: 'already' as const, created: [...existing.objects.values()] }, changed: false };
    }
    if (s.tenants.has(r.sandbox)) throw s.error('createSandbox', 'conflict', `${r.sandbox} is an existing tenant space, not a sandbox`);
    const labels = { ...(r.labels ?? {}), [SANDBOX_LABELS.sandbox]: 'true', 'ganyun.system': r.system };
    createTenantSpace(s, { name: r.sandbox, displayName: `DR drill sandbox ${r.system}`, quota: SANDBOX_QUOTA, labels });
    const objects = new Map<string, DrObject>([
      ['sandbox', { kind: 'sandbox', name: r.sandbox }],
      ['network-policy', { kind: 'network-policy', name: 'default-deny', sandbox: r.sandbox }],
    ]);
    this.sandboxes.set(r.sandbox, { sandbox: r.sandbox, zone: r.zone, system: r.system, labels, objects, createdAt: s.clock.iso() });
    return { value: { outcome: 'done' as const, created: [...objects.values()] }, changed: true };
  }

  private deleteSandbox(r: DrRequests['deleteSandbox']) {
    const s = this.state();
    if (!this.sandboxes.has(r.sandbox)) return { value: { outcome: 'already' as const, created: [] }, changed: false };
    this.sandboxes.delete(r.sandbox);
    deleteTenantSpace(s, r.sandbox);
    return { value: { outcome: 'done' as const, created: [] }, changed: true };
  }

  private site(op: DrOperation, system: string, zone: string): Site {
    const x = this.sites.get(`${system}@${zone}`);
    if (!x) throw this.state().error(op, 'not-found', `system ${system} has no site in zone ${zone}`);
    return x;
  }

  private sandbox(op: DrOperation, name: string, system: string, zone: string): Sandbox {
    const b = this.sandboxes.get(name);
    if (!b) throw this.state().error(op, 'not-found', `sandbox ${name} does not exist`);
    if (b.system !== system || b.zone !== zone) throw this.state().error(op, 'invalid', `sandbox ${name} belongs to ${b.system} in ${b.zone}`);
    return b;
  }

  private inSandbox(b: Sandbox, o: DrObject) {
    const had = b.objects.get(`${o.kind}/${o.name}`);
    b.objects.set(`${o.kind}/${o.name}`, o);
    return { value: { outcome: had ? ('already' as const) : ('done' as const), created: [o] }, changed: had === undefined || JSON.stringify(had) !== JSON.stringify(o) };
  }

  /** Current lag of a replica: sync 0; async wanders around a per-system base, redrawn every 15 s of sim time. */
  private lagOf(x: Site): number {
    const from = x.replicatingFrom;
    if (!from || from.mode === 'sync') return 0;
    if (from.broken) return from.lagAtBreak ?? 0;
    const s = this.state();
    const rng = new Prng(hashSeed(s.seed, `${x.system}@${x.zone}@${Math.floor(s.clock.now() / 15_000)}`));
    return Math.round((5 + rng.next() * 40) * 10) / 10;
  }

  private replicate(r: DrRequests['replicate']) {
    const key = `${r.system}@${r.zone}`;
    const x = this.sites.get(key);
    const from = { cloud: r.fromCloud, zone: r.fromZone, mode: r.mode, broken: false };
    if (x && x.role === 'replica' && x.replicatingFrom && !x.replicatingFrom.broken && x.replicatingFrom.cloud === r.fromCloud && x.replicatingFrom.zone === r.fromZone && x.replicatingFrom.mode === r.mode) {
      return { value: { outcome: 'already' as const, created: [] }, changed: false };
    }
    if (x && x.serving) throw this.state().error('replicate', 'conflict', `${r.system} serves traffic in ${r.zone}: stop it before it becomes a replica`);
    this.sites.set(key, { system: r.system, zone: r.zone, role: 'replica', serving: false, standbyReplicas: x?.standbyReplicas ?? 0, replicatingFrom: from });
    return { value: { outcome: 'done' as const, created: [] }, changed: true };
  }

  private promote(r: DrRequests['promoteReplica']) {
    const x = this.site('promoteReplica', r.system, r.zone);
    if (r.sandbox !== undefined) {
      if (x.role !== 'replica') throw this.state().error('promoteReplica', 'invalid', `${r.system} has no replica in ${r.zone} to clone`);
      const b = this.sandbox('promoteReplica', r.sandbox, r.system, r.zone);
      const lag = this.lagOf(x);
      const res = this.inSandbox(b, { kind: 'clone', name: `${r.system}-data`, sandbox: r.sandbox });
      return { value: { ...res.value, lagAtCutSeconds: lag }, changed: res.changed };
    }
    if (x.role === 'promoted' || x.role === 'primary') return { value: { outcome: 'already' as const, created: [], lagAtCutSeconds: x.replicatingFrom?.lagAtBreak ?? 0 }, changed: false };
    if (x.role !== 'replica') throw this.state().error('promoteReplica', 'invalid', `${r.system} in ${r.zone} is ${x.role}, not a replica`);
    const lag = this.lagOf(x);
    x.role = 'promoted';
    if (x.replicatingFrom) x.replicatingFrom = { ...x.replicatingFrom, broken: true, lagAtBreak: lag };
    return { value: { outcome: 'done' as const, created: [], lagAtCutSeconds: lag }, changed: true };
  }

  private scale(r: DrRequests['scaleStandby']) {
    if (!(Number.isInteger(r.replicas) && r.replicas >= 0)) throw this.state().error('scaleStandby', 'invalid', 'replicas must be a whole number >= 0');
    const x = this.site('scaleStandby', r.system, r.zone);
    if (r.sandbox !== undefined) return this.inSandbox(this.sandbox('scaleStandby', r.sandbox, r.system, r.zone), { kind: 'workload', name: `${r.system}-standby-x${r.replicas}`, sandbox: r.sandbox });
    if (x.standbyReplicas === r.replicas) return { value: { outcome: 'already' as const, created: [] }, changed: false };
    x.standbyReplicas = r.replicas;
    return { value: { outcome: 'done' as const, created: [] }, changed: true };
  }

  private switchTraffic(r: DrRequests['switchTraffic']) {
    const x = this.site('switchTraffic', r.system, r.zone);
    if (r.sandbox !== undefined) return this.inSandbox(this.sandbox('switchTraffic', r.sandbox, r.system, r.zone), { kind: 'endpoint', name: `${r.system}-test-entry`, sandbox: r.sandbox });
    if (x.role === 'replica') throw this.state().error('switchTraffic', 'invalid', `${r.system} in ${r.zone} is still a replica: promote it first`);
    if (x.role === 'stopped') throw this.state().error('switchTraffic', 'invalid', `${r.system} in ${r.zone} is stopped`);
    if (x.serving) return { value: { outcome: 'already' as const, created: [] }, changed: false };
    for (const other of this.sites.values()) if (other.system === r.system) other.serving = false;
    x.serving = true;
    return { value: { outcome: 'done' as const, created: [] }, changed: true };
  }

  private stopSource(r: DrRequests['stopSource']) {
    const x = this.site('stopSource', r.system, r.zone);
    if (x.role === 'stopped') return { value: { outcome: 'already' as const, created: [] }, changed: false };
    x.role = 'stopped';
    x.serving = false;
    return { value: { outcome: 'done' as const, created: [] }, changed: true };
  }

  private breakLink(r: DrRequests['breakLink']) {
    const x = this.site('breakLink', r.system, r.zone);
    if (!x.replicatingFrom || x.replicatingFrom.broken) return { value: { outcome: 'already' as const, created: [] }, changed: false };
    x.replicatingFrom = { ...x.replicatingFrom, broken: true, lagAtBreak: this.lagOf(x) };
    return { value: { outcome: 'done' as const, created: [] }, changed: true };
  }
}
