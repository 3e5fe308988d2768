/**
 * A simulated government cloud: the model behind both the in-process simulated provider
 * and the sim server process. Synchronous and fault-free; faults are injected by whoever
 * exposes it (SimulatedProvider in-process, the HTTP server on the wire).
 *
 * Every call first applies lifecycle transitions that have fallen due on the sim clock.
 * Mutations go through the idempotency ledger.
 */
import { randomUUID } from 'node:crypto';
import type { Capabilities, CapacityReport, ConnectInfo, CreateOutcome, DeleteOutcome, HealthReport, InventoryPage, InventoryRequest, KeyedOp, KeyObservation, MutationResult, NetworkFacts, Observation, ReplicationLink, Resource, ResourceRef, ResourceSpec, TenantSpace, TenantSpaceSpec, UpdateOutcome } from '../spi.ts';
import { PROVIDER_API_VERSION } from '../spi.ts';
import type { HostPoolSpec, OvercommitRatios } from './capacity-pools.ts';
import { DEFAULT_IMAGES, PROVINCIAL_SYSTEMS, type BusinessSystem, type OsImage } from './catalog.ts';
import { SimClock } from './clock.ts';
import * as facts from './cloud-facts.ts';
import { CloudState, DEFAULT_TIMING, type LifecycleTiming, type ReplicationLinkSpec } from './cloud-state.ts';
import { IdempotencyLedger } from './idempotency-ledger.ts';
import { listInventory } from './inventory-listing.ts';
import { hashSeed } from './prng.ts';
import * as resources from './resource-ops.ts';
import { UtilisationModel } from './utilisation-model.ts';
import type { ResourceUtilisation } from '../features.ts';
import { seedInventory } from './seed-inventory.ts';
import { applyMutation, type SimMutation } from './sim-mutations.ts';
import { DrModel, type CallLogEntry } from './dr-model.ts';
import type { DrKeyObservation, DrOperation, DrRequests, DrResult, DrState } from '../dr.ts';
import type { MigrationKeyObservation, MigrationOperation, MigrationRequests, MigrationResult, MigrationSystemState } from '../migration.ts';
import { TransferModel } from './transfer-model.ts';
import { ProviderError as DrProviderError } from '../errors.ts';
import * as tenants from './tenant-ops.ts';

export interface SimulatedCloudOptions {
  readonly cloudId: string;
  /** Division code of where the cloud sits, reported by connect(). */
  readonly region?: string;
  readonly seed: number;
  readonly zones: readonly string[];
  readonly hostPools: readonly HostPoolSpec[];
  readonly overcommit: OvercommitRatios;
  readonly images?: readonly OsImage[];
  readonly tenantSpaceKind?: 'project' | 'namespace';
  /** Resources to create before the first call (none by default). */
  readonly initialResources?: number;
  /** Systems the initial inventory is made of, and how their names are prefixed. */
  readonly systems?: readonly BusinessSystem[];
  readonly namePrefix?: string;
  readonly slugPrefix?: string;
  readonly timing?: LifecycleTiming;
  /** Multiplies every lifecycle delay: 0.001 turns 45 s of provisioning into 45 ms. */
  readonly timeScale?: number;
  readonly clock?: SimClock;
  readonly replication?: readonly ReplicationLinkSpec[];
  readonly network?: Partial<NetworkFacts>;
  readonly maxTombstones?: number;
  /** Identifies this life of the cloud in cursors; a restart gets a new one. */
  readonly epoch?: string;
}

export class SimulatedCloud {
  readonly cloudId: string;
  readonly clock: SimClock;
  readonly epoch: string;
  private readonly state: CloudState;
  private readonly ledger: IdempotencyLedger;
  private readonly drModel: DrModel;
  private readonly use: UtilisationModel;
  /** DR calls by key, for observe-by-key: the operation and what it answered. */
  private readonly drAnswers = new Map<string, { op: DrOperation; result: { ok: true; value: DrResult } | { ok: false; error: unknown } }>();
  private readonly transfers: TransferModel;
  /** Migration calls by key, for observe-by-key. */
  private readonly migrationAnswers = new Map<string, { op: MigrationOperation; result: { ok: true; value: MigrationResult } | { ok: false; error: unknown } }>();

  constructor(private readonly opts: SimulatedCloudOptions) {
    this.cloudId = opts.cloudId;
    this.clock = opts.clock ?? new SimClock();
    this.epoch = opts.epoch ?? randomUUID().slice(0, 8);
    this.use = new UtilisationModel(hashSeed(opts.seed, 'utilisation'));
    this.state = new CloudState(
      opts.cloudId,
      opts.seed,
      opts.zones,
      opts.hostPools,
      opts.overcommit,
      opts.images ?? DEFAULT_IMAGES,
      this.clock,
      opts.timing ?? DEFAULT_TIMING,
      opts.timeScale ?? 1,
      opts.maxTombstones ?? 100_000,
    );
    this.ledger = new IdempotencyLedger(opts.cloudId);
    this.drModel = new DrModel(() => this.now);
    this.transfers = new TransferModel(() => {
      const s = this.now;
      return { now: () => s.clock.now(), timeScale: s.timeScale, zones: s.zones, zoneDown: (z) => s.zoneStatus.get(z) === 'down', error: (op, code, message, reason) => s.error(op, code, message, reason) };
    });
    seedInventory(this.state, hashSeed(opts.seed, 'inventory'), {
      count: opts.initialResources ?? 0,
      systems: opts.systems ?? PROVINCIAL_SYSTEMS,
      namePrefix: opts.namePrefix ?? '',
      slugPrefix: opts.slugPrefix ?? opts.cloudId,
    });
  }

  private get now(): CloudState {
    this.state.advance();
    return this.state;
  }

  connect(providerKind = 'simulated'): ConnectInfo {
    return {
      cloudId: this.cloudId,
      providerKind,
      apiVersion: PROVIDER_API_VERSION,
      ...(this.opts.region !== undefined ? { region: this.opts.region } : {}),
      capabilities: this.capabilities(),
    };
  }

  capabilities(): Capabilities {
    return facts.capabilities(this.state, this.opts.replication ?? [], this.opts.tenantSpaceKind ?? 'project');
  }

  /** A mutation under an idempotency key, applied to a copy of its spec (the caller may change its object afterwards). */
  private keyed<S, T>(key: string, op: KeyedOp, spec: S, apply: (state: CloudState, spec: S) => { value: T; changed: boolean }): T {
    const s = structuredClone(spec);
    return this.ledger.run(key, op, s, () => apply(this.now, s));
  }

  observeTenantSpace(desired: TenantSpaceSpec): Observation<TenantSpace> {
    return tenants.observeTenantSpace(this.now, desired);
  }

  createTenantSpace(spec: TenantSpaceSpec, key: string): MutationResult<TenantSpace, CreateOutcome> {
    return this.keyed(key, 'createTenantSpace', spec, tenants.createTenantSpace);
  }

  updateTenantSpace(spec: TenantSpaceSpec, key: string): MutationResult<TenantSpace, UpdateOutcome> {
    return this.keyed(key, 'updateTenantSpace', spec, tenants.updateTenantSpace);
  }

  deleteTenantSpace(name: string, key: string): MutationResult<TenantSpace, DeleteOutcome> {
    return this.ledger.run(key, 'deleteTenantSpace', { name }, () => tenants.deleteTenantSpace(this.now, name));
  }

  observeResource(desired: ResourceSpec): Observation<Resource> {
    return resources.observeResource(this.now, desired);
  }

  createResource(spec: ResourceSpec, key: string): MutationResult<Resource, CreateOutcome> {
    return this.keyed(key, 'createResource', spec, resources.createResource);
  }

  updateResource(spec: ResourceSpec, key: string): MutationResult<Resource, UpdateOutcome> {
    return this.keyed(key, 'updateResource', spec, resources.updateResource);
  }

  deleteResource(ref: ResourceRef, key: string): MutationResult<Resource, DeleteOutcome> {
    const r = { tenant: ref.tenant, kind: ref.kind, name: ref.name };
    return this.ledger.run(key, 'deleteResource', r, () => resources.deleteResource(this.now, r));
  }

  listInventory(req: InventoryRequest): InventoryPage {
    return listInventory(this.now, this.epoch, req);
  }

  capacity(): CapacityReport {
    return facts.capacityReport(this.now);
  }

  replicationLinks(): ReplicationLink[] {
    return facts.replicationLinks(this.now, this.opts.replication ?? []);
  }

  networkFacts(): NetworkFacts {
    return facts.networkFacts(this.now, this.opts.network);
  }

  health(): HealthReport {
    return facts.health(this.now);
  }

  /** Observe by key for tenant-space and resource mutations, from the idempotency ledger (the cloud's call log). */
  observeByKey(key: string, op: KeyedOp): KeyObservation {
    const seen = this.ledger.lookup(key);
    if (seen.op === undefined) {
      return seen.forgotten ? { status: 'cannot-tell', reason: 'the call log has forgotten its oldest keys; this may be one of them' } : { status: 'not-applied' };
    }
    if (seen.op !== op) return { status: 'not-applied', refusal: { code: 'conflict', message: `the key was used for ${seen.op}` } };
    if (!seen.result.ok) {
      const e = seen.result.error;
      return { status: 'not-applied', refusal: e instanceof DrProviderError ? { code: e.code, message: e.message } : { code: 'internal', message: String(e) } };
    }
    return { status: 'applied', op, result: seen.result.value as Extract<KeyObservation, { status: 'applied' }>['result'] };
  }

  // ------------------------------------------------------------- disaster recovery (dr.ts)

  /** Runs a DR operation once per idempotency key; every arrival goes into the call log. */
  drRun<O extends DrOperation>(op: O, request: DrRequests[O], key: string): DrResult {
    const req = structuredClone(request);
    const production = this.drModel.touchesProduction(op, req);
    let first = false;
    try {
      const value = this.ledger.run(key, op, req, () => {
        first = true;
        try {
          const r = this.drModel.apply(op, req);
          this.drAnswers.set(key, { op, result: { ok: true, value: r.value } });
          return r;
        } catch (error) {
          this.drAnswers.set(key, { op, result: { ok: false, error } });
          throw error;
        }
      });
      this.drModel.record({ op, idempotencyKey: key, request: req, production, outcome: first ? value.outcome : 'already' });
      return value;
    } catch (error) {
      this.drModel.record({ op, idempotencyKey: key, request: req, production, outcome: 'refused' });
      throw error;
    }
  }

  drObserveByKey(key: string, op: DrOperation): DrKeyObservation {
    const seen = this.drAnswers.get(key);
    if (seen === undefined) return { status: 'not-applied' };
    if (seen.op !== op) return { status: 'not-applied', refusal: { code: 'conflict', message: `the key was used for ${seen.op}` } };
    if (!seen.result.ok) {
      const e = seen.result.error;
      return { status: 'not-applied', refusal: e instanceof DrProviderError ? { code: e.code, message: e.message } : { code: 'internal', message: String(e) } };
    }
    return { status: 'applied', op, result: seen.result.value };
  }

  drState(): DrState {
    this.state.advance();
    return this.drModel.snapshot();
  }

  /** Every DR call that reached this cloud, in order (tests prove from it that a drill left production alone). */
  get drCallLog(): readonly CallLogEntry[] {
    return this.drModel.log;
  }

  /** Test hook: the system already runs in `zone` as its primary. */
  seedDrPrimary(system: string, zone: string): void {
    this.drModel.seedPrimary(system, zone);
  }

  // ------------------------------------------------------------- migrations (migration.ts)

  /** Runs a migration operation once per idempotency key (replays answer the same, change nothing). */
  migrationRun<O extends MigrationOperation>(op: O, request: MigrationRequests[O], key: string): MigrationResult {
    const req = structuredClone(request);
    return this.ledger.run(key, op, req, () => {
      try {
        const r = this.transfers.apply(op, req);
        this.migrationAnswers.set(key, { op, result: { ok: true, value: r.value } });
        return r;
      } catch (error) {
        this.migrationAnswers.set(key, { op, result: { ok: false, error } });
        throw error;
      }
    });
  }

  migrationObserveByKey(key: string, op: MigrationOperation): MigrationKeyObservation {
    const seen = this.migrationAnswers.get(key);
    if (seen === undefined) return { status: 'not-applied' };
    if (seen.op !== op) return { status: 'not-applied', refusal: { code: 'conflict', message: `the key was used for ${seen.op}` } };
    if (!seen.result.ok) {
      const e = seen.result.error;
      return { status: 'not-applied', refusal: e instanceof DrProviderError ? { code: e.code, message: e.message } : { code: 'internal', message: String(e) } };
    }
    return { status: 'applied', op, result: seen.result.value };
  }

  migrationState(): MigrationSystemState[] {
    return this.transfers.snapshot();
  }

  // ------------------------------------------------------------- test hooks

  /** Change the cloud behind Ganyun's back (see SimMutation). Returns the new revision. */
  mutate(m: SimMutation): number {
    applyMutation(this.now, structuredClone(m));
    return this.state.store.revision;
  }

  /** Calls that reached the cloud with this idempotency key, replays included. */
  callsByIdempotencyKey(key: string): number {
    return this.ledger.callsOf(key);
  }

  /** How many of those calls changed anything: 0 or 1 when idempotency holds. */
  effectsByIdempotencyKey(key: string): number {
    return this.ledger.effectsOf(key);
  }

  /** Mean CPU and memory use of the live hosts and workloads (utilisation-model.ts). */
  utilisation(): ResourceUtilisation[] {
    return this.use.of(this.state);
  }

  /** Sets a resource's use behind Ganyun's back (specs, demos: an idle host). */
  setUtilisation(ref: ResourceRef, use: { cpuPercent: number; memoryPercent: number }): void {
    this.use.override(ref, use);
  }

  /** Live tenant spaces + resources. */
  get objectCount(): number {
    return this.state.store.size;
  }

  get revision(): number {
    return this.state.store.revision;
  }
}
