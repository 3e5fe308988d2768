import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../core/api-client';

/** IPAM shapes, derived from the router type (kept here: core/api-types.ts belongs to the foundation). */
type Inputs = inferRouterInputs<AppRouter>['ipam'];
type Outputs = inferRouterOutputs<AppRouter>['ipam'];

export type Vrf = Outputs['vrfs']['items'][number];
export type PrefixNode = Outputs['prefixes']['items'][number];
export type PrefixDetail = Outputs['prefix'];
export type PrefixAddress = Outputs['addresses']['items'][number];
export type AllocatedPrefix = Outputs['allocatePrefix'];
export type Template = Outputs['templates']['items'][number];
export type TemplateInput = Inputs['setTemplate'];
export type UnitLevel = TemplateInput['unitLevel'];
export type AllocatedPair = Outputs['allocatePair'];
export type AllocateInput = Inputs['allocatePrefix'];
export type CreateVrfInput = Inputs['createVrf'];
export type Strategy = NonNullable<AllocateInput['strategy']>;
export type PrefixKind = PrefixNode['kind'];

export const STRATEGIES: readonly Strategy[] = ['first-fit', 'best-fit', 'sparse', 'nibble'];
export const KINDS: readonly PrefixKind[] = ['aggregate', 'container', 'assigned'];
export const UNIT_LEVELS: readonly UnitLevel[] = ['province', 'city', 'county', 'township', 'village', 'site'];
