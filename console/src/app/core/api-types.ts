/**
 * Shapes of the API, derived from the router type so they follow the server when it changes.
 * Components import these names instead of spelling out the contract again.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './api-client';

export type ApiInputs = inferRouterInputs<AppRouter>;
export type ApiOutputs = inferRouterOutputs<AppRouter>;

export type Me = ApiOutputs['auth']['me'];
export type Role = Me['roles'][number];
export type LoginResult = ApiOutputs['auth']['login'];
export type User = ApiOutputs['users']['list']['items'][number];
export type Department = ApiOutputs['departments']['list']['items'][number];
export type Division = ApiOutputs['divisions']['list']['items'][number];
export type AuditRecord = ApiOutputs['audit']['list']['items'][number];
export type AuditPage = ApiOutputs['audit']['list'];
/** The list input may be omitted as a whole (the server defaults it), hence NonNullable. */
export type AuditListInput = Exclude<ApiInputs['audit']['list'], void | undefined>;
export type AuditVerifyResult = ApiOutputs['audit']['verify'];
export type InstanceInfo = ApiOutputs['instance']['info'];

/** Every role, in the order the console lists them. */
export const ALL_ROLES: readonly Role[] = [
  'admin',
  'cloud-operator',
  'network-engineer',
  'department-admin',
  'department-user',
  'auditor',
];

// Workflows: derived from the router like everything above.
export type Workflow = ApiOutputs['workflows']['list']['items'][number];
export type WorkflowStatus = Workflow['status'];
export type WorkflowListInput = Exclude<ApiInputs['workflows']['list'], void | undefined>;
export type WorkflowDetail = ApiOutputs['workflows']['get'];
export type WorkflowStep = WorkflowDetail['steps'][number];
export type StepStatus = WorkflowStep['status'];
export type WorkflowProgressEvent = ApiOutputs['workflows']['onProgress'] extends AsyncIterable<infer E> ? E : never;

// Clouds: derived from the router (control-plane/src/routers/clouds.ts).
export type CloudSummary = ApiOutputs['clouds']['list']['items'][number];
export type CloudDetail = ApiOutputs['clouds']['get'];
export type CloudListInput = Exclude<ApiInputs['clouds']['list'], void | undefined>;
export type CloudKind = CloudSummary['kind'];
export type SiteRole = CloudSummary['siteRoles'][number];
export type CloudHealth = CloudSummary['health'];
export type HealthStatus = CloudHealth['status'];
export type CircuitState = CloudSummary['circuit'];
export type CloudCapacity = CloudSummary['capacity'][number];
export type ResourceClass = CloudCapacity['resourceClass'];
export type CloudSync = CloudDetail['syncs'][number];
export type SyncMode = ApiInputs['clouds']['sync']['mode'];
export type CloudDrift = CloudDetail['drift'][number];
/** What clouds.setFaults takes: the simulator's fault settings; `{}` heals the cloud. */
export type CloudFaults = ApiInputs['clouds']['setFaults']['faults'];
export type InventoryInput = ApiInputs['clouds']['inventory'];
export type InventoryPage = ApiOutputs['clouds']['inventory'];
export type InventoryItem = InventoryPage['items'][number];
export type InventoryKind = NonNullable<InventoryInput['kind']>;
