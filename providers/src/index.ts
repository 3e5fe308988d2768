/**
 * Public API of @ganyun/providers. The control plane imports from here only.
 */
export * from './spi.ts';
export type * from './features.ts';
export * from './dr.ts';
export * from './migration.ts';
export {
  PROVIDER_ERROR_CODES,
  ProviderError,
  isProviderError,
  isProviderErrorCode,
  toProviderError,
  type ProviderErrorBody,
  type ProviderErrorCode,
  type ProviderErrorInit,
} from './errors.ts';
export { ZERO_QUOTA, addQuota, demandOf, exceededClasses, resourceKey, resourceProblems, tenantSpaceKey, tenantSpaceProblems } from './spec-checks.ts';
export { diffSpecs, stableStringify } from './spec-diff.ts';
export { ProviderRegistry, ProviderRegistryError, type ProviderFactory } from './registry.ts';
export {
  CloudPolicies,
  DEFAULT_RESILIENCE,
  OPERATION_CLASSES,
  operationClassOf,
  withResilience,
  worstCircuitState,
  type CallOutcome,
  type CallPolicy,
  type CircuitStateName,
  type CircuitStates,
  type OperationClass,
  type ResilienceOptions,
} from './resilience.ts';
export { ResilientProvider } from './resilient-provider.ts';
export { fanOut, type FanOutOptions, type FanOutResult } from './fanout.ts';
export {
  DEFAULT_FEDERATION_PATH,
  FederationConfigError,
  SITE_ROLES,
  federationConfigSchema,
  jsonPath,
  loadFederationConfig,
  parseFederationConfig,
  type CloudEntry,
  type FederationConfig,
  type ParseResult,
  type SiteRole,
} from './federation-config.ts';
export { createDefaultRegistry, providersFromConfig, type DefaultRegistryOptions } from './provider-factories.ts';
export {
  CloudDefinitionError,
  parseSecret,
  type CloudDefinition,
  type ClusterConnectionSettings,
  type ProviderInput,
  type SshConnectionSettings,
} from './cloud-definition.ts';
export * as wire from './wire.ts';
// The conformance suite uses Jasmine globals; import it from '@ganyun/providers/conformance.ts'.

// Simulated clouds
export { SimClock } from './simulated/clock.ts';
export { SimulatedCloud, type SimulatedCloudOptions } from './simulated/simulated-cloud.ts';
export { SimulatedProvider } from './simulated/simulated-provider.ts';
export { FaultInjector, type FaultSettings } from './simulated/faults.ts';
export type { SimMutation } from './simulated/sim-mutations.ts';
export type { HostPoolSpec, OvercommitRatios } from './simulated/capacity-pools.ts';
export type { LifecycleTiming, ReplicationLinkSpec } from './simulated/cloud-state.ts';
export { DEFAULT_TIMING } from './simulated/cloud-state.ts';
export { DEFAULT_IMAGES, PROVINCIAL_SYSTEMS, CITY_SYSTEMS, type OsImage, type BusinessSystem } from './simulated/catalog.ts';
export {
  buildSimulatedFederation,
  simulatedCloudOptions,
  simulatedProviderFor,
  type SimulatedFederationOptions,
} from './simulated/federation.ts';
export { startSimServer, type SimServer, type SimServerOptions } from './simulated/http-server.ts';
export { Prng, hashSeed } from './simulated/prng.ts';

// Remote clouds over HTTP
export { RemoteProvider, type RemoteProviderOptions } from './remote/remote-provider.ts';
export { SimAdminClient } from './remote/sim-admin-client.ts';
export * from './kubernetes/index.ts';
export * from './ssh/index.ts';
