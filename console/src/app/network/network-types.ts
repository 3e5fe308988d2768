/** Shapes of the extranet API, derived from the router type (they follow the server when it changes). */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../core/api-client';

type Outputs = inferRouterOutputs<AppRouter>['extranet'];
type Inputs = inferRouterInputs<AppRouter>['extranet'];

export type TreeNode = Outputs['tree']['items'][number];
export type UnitDetail = Outputs['unit'];
export type UnitLink = UnitDetail['links'][number];
export type Plane = Outputs['planes']['items'][number];
export type Device = Outputs['devices']['items'][number];
export type UnitHit = Outputs['search']['items'][number];
export type CoverageReport = Outputs['report'];
export type HistoryPoint = Outputs['readinessHistory']['items'][number];
export type SingleHomedPage = Outputs['singleHomed'];
export type SharedRiskPage = Outputs['sharedRisk'];
export type WhatIfResult = Outputs['whatIf'];
export type DeptNetworks = Outputs['departmentNetworks'];
export type AccessResult = Outputs['accessCheck'];
export type StoredCheck = Outputs['checkHistory']['items'][number];
export type ImportResult = Outputs['importUnits'];
export type RowError = ImportResult['errors'][number];

export type AccessInput = Inputs['accessCheck'];
export type ListInput = Inputs['singleHomed'];
export type RiskInput = Inputs['sharedRisk'];
export type WhatIfInput = Inputs['whatIf'];
export type Family = AccessInput['family'];
export type CsvKind = 'units' | 'links';
