import { Injectable, inject } from '@angular/core';
import { API } from '../core/api-client';
import type { AccessInput, CsvKind, ListInput, RiskInput, WhatIfInput } from './network-types';

/** The console's way to the extranet procedures; specs replace it with a fake (network-fakes.spec.ts). */
@Injectable({ providedIn: 'root' })
export class NetworkApiService {
  // Transitional: views still call these named methods; new code injects API and calls the client directly.
  private readonly client = inject(API);
  private readonly x = this.client.extranet;

  planes() {
    return this.call(() => this.x.planes.query({}));
  }
  tree(parentCode?: string) {
    return this.call(() => this.x.tree.query(parentCode ? { parentCode } : {}));
  }
  unit(code: string) {
    return this.call(() => this.x.unit.query({ code }));
  }
  searchUnits(q: string) {
    return this.call(() => this.x.search.query({ q, limit: 20 }));
  }
  devices(search?: string) {
    return this.call(() => this.x.devices.query({ limit: 200, ...(search ? { search } : {}) }));
  }
  setLinkState(id: string, state: 'up' | 'down' | 'planned') {
    return this.call(() => this.x.setLinkState.mutate({ id, state }));
  }
  report() {
    return this.call(() => this.x.report.query({}));
  }
  history(scope: string, days = 90) {
    return this.call(() => this.x.readinessHistory.query({ scope, days }));
  }
  singleHomed(input: ListInput) {
    return this.call(() => this.x.singleHomed.query(input));
  }
  sharedRisk(input: RiskInput) {
    return this.call(() => this.x.sharedRisk.query(input));
  }
  whatIf(input: WhatIfInput) {
    return this.call(() => this.x.whatIf.query(input));
  }
  departmentNetworks() {
    return this.call(() => this.x.departmentNetworks.query({}));
  }
  check(input: AccessInput) {
    return this.call(() => this.x.accessCheck.mutate(input));
  }
  checkHistory(unitCode: string, systemId?: string) {
    return this.call(() => this.x.checkHistory.query({ unitCode, limit: 50, ...(systemId ? { systemId } : {}) }));
  }
  importCsv(kind: CsvKind, csv: string, dryRun: boolean) {
    const input = { csv, dryRun };
    return this.call(() => (kind === 'units' ? this.x.importUnits.mutate(input) : this.x.importLinks.mutate(input)));
  }
  exportCsv(kind: CsvKind) {
    return this.call(() => (kind === 'units' ? this.x.exportUnits.query({}) : this.x.exportLinks.query({})));
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
