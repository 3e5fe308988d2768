/** Shapes of the quotas API, derived from the router type so they follow the server. */
import type { ApiInputs, ApiOutputs } from '../core/api-types';

export type QuotaNodeSummary = ApiOutputs['quotas']['tree']['items'][number];
export type QuotaUsageLine = QuotaNodeSummary['usage'][number];
export type QuotaNodeDetail = ApiOutputs['quotas']['node'];
export type QuotaLedgerPage = ApiOutputs['quotas']['ledger'];
export type QuotaLedgerLine = QuotaLedgerPage['items'][number];
export type QuotaExplanation = ApiOutputs['quotas']['explain'];
export type QuotaChange = ApiOutputs['quotas']['changes']['items'][number];
export type ChangeStatus = QuotaChange['status'];
export type QuotaDriftLine = ApiOutputs['quotas']['drift']['items'][number];
export type QuotaHistory = ApiOutputs['quotas']['history']['days'];
export type LedgerInput = ApiInputs['quotas']['ledger'];
export type RequestChangeInput = ApiInputs['quotas']['requestChange'];
export type ResourceClassName = QuotaUsageLine['resourceClass'];
export type QuotaLevelName = QuotaNodeSummary['level'];
export type SetLimitsInput = ApiInputs['quotas']['setLimits'];
