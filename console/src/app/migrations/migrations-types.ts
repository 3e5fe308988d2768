/** Shapes of the migrations API (control-plane/src/routers/migrations-*.ts), derived from the router type. */
import type { ApiOutputs } from '../core/api-types';

type Mig = ApiOutputs['migrations'];
export type Candidate = Mig['candidates']['list']['items'][number];
export type CandidateState = Candidate['state'];
export type CandidateHistory = Mig['candidates']['history'];
export type Plan = Mig['plans']['list']['items'][number];
export type PlanDetail = Mig['plans']['get'];
export type VersionSummary = PlanDetail['versions'][number];
export type Version = Mig['plans']['version'];
export type Wave = Mig['waves']['list']['items'][number];
export type WaveStatus = Wave['status'];
export type WaveDetail = Mig['waves']['get'];
export type PrecheckResult = Mig['waves']['precheck'];
export type SystemPrechecks = PrecheckResult['systems'][number];

/** Operators (and admins) plan and run; everyone else reads (the server enforces it: migrations-roles.ts). */
export const PLANNER_ROLES = ['admin', 'cloud-operator'] as const;
