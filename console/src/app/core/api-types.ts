/**
 * Shapes of the API, derived from the router type so they follow the server when it changes.
 * Components import these names instead of spelling out the contract again.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './api';

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
export type SystemInfo = ApiOutputs['system']['info'];

/** Every role, in the order the console lists them. */
export const ALL_ROLES: readonly Role[] = [
  'admin',
  'cloud-operator',
  'network-engineer',
  'department-admin',
  'department-user',
  'auditor',
];
