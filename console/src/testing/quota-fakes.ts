/** Spec support for the quota views: a fake QuotasApiService and sample answers (no specs of its own). */
import { setUpConsoleSpec } from './test-helpers';
import type { QuotaChange, QuotaLedgerLine, QuotaNodeDetail, QuotaNodeSummary, QuotaUsageLine } from '../app/quotas/quota-types';
import { QuotasApiService } from '../app/quotas/quotas-api.service';

export type FakeQuotasApi = jasmine.SpyObj<QuotasApiService>;

export function createFakeQuotasApi(): FakeQuotasApi {
  const api = jasmine.createSpyObj<QuotasApiService>('QuotasApiService', [
    'tree', 'mine', 'node', 'ledger', 'explain', 'history', 'changes', 'requestChange', 'setLimit', 'decideChange',
  ]);
  api.tree.and.resolveTo({ items: [] });
  api.mine.and.resolveTo({ items: [] });
  api.ledger.and.resolveTo({ items: [], nextCursor: null });
  api.history.and.resolveTo({ days: [] });
  api.changes.and.resolveTo({ items: [], nextCursor: null });
  return api;
}

/** setUpConsoleSpec for a quota view: the fake QuotasApiService beside the typed client; returns the former. */
export function setUpQuotaSpec(imports: unknown[]): FakeQuotasApi {
  const quotas = createFakeQuotasApi();
  setUpConsoleSpec({ imports, providers: [{ provide: QuotasApiService, useValue: quotas }] });
  return quotas;
}

export const usageLine = (over: Partial<QuotaUsageLine> = {}): QuotaUsageLine => ({
  cloudId: 'jx-province', resourceClass: 'vcpu', limit: 100, softLimit: null, cap: 100, softCap: null, reserved: 20, committed: 30, utilisation: 0.5, ...over,
});

export const nodeSummary = (over: Partial<QuotaNodeSummary> = {}): QuotaNodeSummary => ({
  id: 'n-province', level: 'province', ref: '36', name: '江西省', departmentId: null, children: 2, usage: [usageLine()], ...over,
});

export const nodeDetail = (over: Partial<QuotaNodeDetail> = {}): QuotaNodeDetail => ({
  ...nodeSummary({ id: 'n-dept', level: 'department', ref: 'd-1', name: '省大数据局', departmentId: 'd-1', children: 1 }),
  parentId: 'n-province', path: [{ id: 'n-province', level: 'province', name: '江西省' }], ...over,
});

export const ledgerLine = (over: Partial<QuotaLedgerLine> = {}): QuotaLedgerLine => ({
  id: 10, at: '2026-11-28T10:00:00.000Z', nodeId: 'n-sys', systemName: '一网通办', cloudId: 'jx-province', resourceClass: 'vcpu', kind: 'reserve',
  reservedDelta: 8, committedDelta: 0, reservationId: 'r-1', actor: 'ops', ref: 'req-1', detail: null, ...over,
});

export const change = (over: Partial<QuotaChange> = {}): QuotaChange => ({
  id: 'c-1', nodeId: 'n-sys', nodeLevel: 'system', nodeName: '一网通办', departmentId: 'd-1', cloudId: 'jx-province', resourceClass: 'vcpu',
  currentLimit: 40, requestedLimit: 60, requestedSoft: null, reason: '新模块上线', status: 'pending', requestedBy: 'u-dept', requestedByName: 'dept-admin',
  decidedByName: null, decisionReason: null, createdAt: '2026-11-28T09:00:00.000Z', decidedAt: null, ...over,
});
