import type { FaultSettings, OperationClass, ResilientProvider, SimulatedProvider } from '@ganyun/providers';
import type { Queryable } from '../store/store.ts';
import type { CloudSettings } from './cloud-entry.ts';
import type { FanOutAnswer, HealthAnswer } from './cloud-health.ts';
import type { CapacityLine } from './clouds-repo.ts';
import type { HostKeyAlarms, StoreKnownHosts } from './known-hosts-repo.ts';
import type { FederationOptions } from './federation.ts';
import type { SyncResult } from './inventory-sync.ts';

/** What it takes to build a provider: the row, and the opened credentials (never stored in plain text). */
export interface ProviderInput {
  record: CloudSettings;
  token: string | null;
}

type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * The federated clouds as the rest of the control plane uses them (AppDeps.federation). Every provider handed out
 * is the resilient one (circuit, bulkhead, retries, metrics); nothing outside providers/ reaches a provider class.
 * Implemented by `Federation` (federation.ts).
 */
export interface FederationService {
  readonly options: FederationOptions;
  readonly knownHosts: StoreKnownHosts;
  readonly hostKeyAlarms: HostKeyAlarms;

  /** Builds a provider without registering it: used to connect before anything is stored. */
  build(input: ProviderInput): { provider: ResilientProvider };
  /** Builds and connects once; a refusal is an InputError naming what the cloud said. */
  connectCheck(input: ProviderInput): Promise<{ provider: ResilientProvider }>;
  /** Registers (or rebuilds when its settings changed) the provider of a stored cloud. */
  install(input: ProviderInput, built?: { provider: ResilientProvider }): Promise<void>;
  /** Builds the providers of every stored cloud (start-up). */
  load(): Promise<void>;
  /** The cloud's credential, unsealed, for a rebuild. */
  openToken(db: Queryable, cloudId: string): Promise<string | null>;

  /** The live provider of a cloud; NotFoundError when there is none. */
  provider(cloudId: string): ResilientProvider;
  connected(cloudId: string): ResilientProvider | undefined;
  /** An in-process simulated cloud, so specs and benches can read the cloud's own state; undefined for others. */
  simulated(cloudId: string): SimulatedProvider | undefined;
  /** The worst circuit state of a cloud, and the state per operation class. */
  circuit(cloudId: string): CircuitState;
  circuits(cloudId: string): Record<OperationClass, CircuitState>;

  /** Fault switches of a simulated or remote-simulator cloud. */
  setFaults(cloudId: string, faults: FaultSettings): Promise<FaultSettings>;
  faults(cloudId: string): Promise<FaultSettings | null>;

  health(): Promise<FanOutAnswer<HealthAnswer>>;
  checkAll(): Promise<void>;
  checkHealth(cloudId: string, commit?: (write: (tx: Queryable) => Promise<void>, answer: HealthAnswer) => Promise<void>): Promise<HealthAnswer>;
  capacity(): Promise<FanOutAnswer<CapacityLine[]>>;

  /** Starts an inventory sync now; `done` settles with its result. */
  startSync(cloudId: string, mode: 'full' | 'incremental'): { syncId: string; done: Promise<SyncResult | Error> };
  sync(cloudId: string, mode: 'full' | 'incremental'): Promise<SyncResult | Error>;
  /** Runs after every successful sync of a cloud (DR refreshes replication links there). */
  onSynced(hook: (provider: ResilientProvider) => Promise<void>): void;

  /** The health and sync schedules of this process (on the replica that runs the background schedule, lifecycle/leader.ts). */
  start(): void;
  /** Stops the schedules only (another replica took them over); the providers stay open. */
  stopSchedule(): Promise<void>;
  stop(): Promise<void>;
}
