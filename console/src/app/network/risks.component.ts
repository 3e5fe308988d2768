import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzStatisticModule } from 'ng-zorro-antd/statistic';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { NetworkApiService } from './network-api.service';
import { provideNetworkIcons } from './network-icons';
import { NetworkNavComponent } from './network-nav.component';
import type { DeptNetworks, Device, SharedRiskPage, SingleHomedPage, WhatIfResult } from './network-types';

type RiskKind = 'pe' | 'aggregation' | 'carrier' | 'duct';
const PAGE = 100;

/** Single-homed units, units whose two planes share a risk, what-if failures, and department networks moving in. */
@Component({
  selector: 'app-network-risks',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, NzButtonModule, NzIconModule, NzSelectModule, NzStatisticModule, NzTableModule, NzTabsModule, NzTagModule, ErrorAlertComponent, TranslatePipe, NetworkNavComponent],
  providers: [provideNetworkIcons()],
  templateUrl: './risks.component.html',
  styles: `
    .toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; flex-wrap: wrap; }
    .impact { display: flex; gap: 24px; margin: 12px 0; }
    .muted { color: var(--gy-muted); }
  `,
})
export class RisksComponent implements OnInit {
  private readonly api = inject(NetworkApiService);
  private readonly tasks = inject(PendingTasks);

  protected readonly kinds: readonly RiskKind[] = ['pe', 'aggregation', 'carrier', 'duct'];
  protected readonly cities = signal<{ code: string; name: string }[]>([]);
  protected readonly city = signal<string | null>(null);
  protected readonly kind = signal<RiskKind | null>(null);
  protected readonly single = signal<SingleHomedPage['items']>([]);
  protected readonly singleNext = signal<string | null>(null);
  protected readonly shared = signal<SharedRiskPage['items']>([]);
  protected readonly sharedNext = signal<string | null>(null);
  protected readonly devices = signal<Device[]>([]);
  protected readonly failDevices = signal<string[]>([]);
  protected readonly failCarriers = signal<string[]>([]);
  protected readonly failDucts = signal<string[]>([]);
  protected readonly impact = signal<WhatIfResult | null>(null);
  protected readonly dept = signal<DeptNetworks | null>(null);
  protected readonly error = signal<ApiError | null>(null);

  ngOnInit(): void {
    void this.tasks.run(async () => {
      await this.guard(async () => {
        const report = await this.api.report();
        this.cities.set(report.byCity.filter((c) => c.code !== '36').map((c) => ({ code: c.code, name: c.name })));
        await Promise.all([this.loadSingle(false), this.loadShared(false)]);
        this.devices.set((await this.api.devices()).items.filter((d) => d.role !== 'ce'));
        this.dept.set(await this.api.departmentNetworks());
      });
    });
  }

  /**
   * The device picker asks the server for names containing what was typed (one page of them: a province has
   * thousands of devices); devices already chosen stay offered.
   */
  protected async searchDevices(q: string): Promise<void> {
    await this.guard(async () => {
      const page = await this.api.devices(q.trim() || undefined);
      const chosen = new Set(this.failDevices());
      this.devices.update((ds) => [...ds.filter((d) => chosen.has(d.id)), ...page.items.filter((d) => d.role !== 'ce' && !chosen.has(d.id))]);
    });
  }

  protected async loadSingle(more: boolean): Promise<void> {
    await this.guard(async () => {
      const page = await this.api.singleHomed({ limit: PAGE, ...this.filters(), ...(more && this.singleNext() ? { after: this.singleNext()! } : {}) });
      this.single.update((items) => (more ? [...items, ...page.items] : page.items));
      this.singleNext.set(page.nextCursor);
    });
  }

  protected async loadShared(more: boolean): Promise<void> {
    await this.guard(async () => {
      const kind = this.kind();
      const page = await this.api.sharedRisk({ limit: PAGE, ...this.filters(), ...(kind ? { kind } : {}), ...(more && this.sharedNext() ? { after: this.sharedNext()! } : {}) });
      this.shared.update((items) => (more ? [...items, ...page.items] : page.items));
      this.sharedNext.set(page.nextCursor);
    });
  }

  protected async filterCity(city: string | null): Promise<void> {
    this.city.set(city);
    await Promise.all([this.loadSingle(false), this.loadShared(false)]);
  }

  protected async filterKind(kind: RiskKind | null): Promise<void> {
    this.kind.set(kind);
    await this.loadShared(false);
  }

  /** Runs the what-if: which units lose both planes, their redundancy, or IPv6. */
  protected async runWhatIf(): Promise<void> {
    await this.guard(async () => {
      this.impact.set(await this.api.whatIf({ deviceIds: this.failDevices(), carriers: this.failCarriers(), ducts: this.failDucts(), limit: 200 }));
    });
  }

  private filters() {
    const city = this.city();
    return city ? { cityCode: city } : {};
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    this.error.set(null);
    try {
      await fn();
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
