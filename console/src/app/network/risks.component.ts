import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
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
import { FilterSelectComponent } from '../core/filter-select.component';
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
  imports: [ReactiveFormsModule, RouterLink, NzButtonModule, NzIconModule, NzSelectModule, NzStatisticModule, NzTableModule, NzTabsModule, NzTagModule, ErrorAlertComponent, FilterSelectComponent, TranslatePipe, NetworkNavComponent],
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
  protected readonly cityOptions = signal<{ value: string; label: string }[]>([]);
  /** The city narrows both lists; the kind the shared-risk list. A change lists again at once. */
  protected readonly cityCtl = new FormControl<string | null>(null);
  protected readonly kindCtl = new FormControl<RiskKind | null>(null);
  protected readonly single = signal<SingleHomedPage['items']>([]);
  protected readonly singleNext = signal<string | null>(null);
  protected readonly shared = signal<SharedRiskPage['items']>([]);
  protected readonly sharedNext = signal<string | null>(null);
  protected readonly devices = signal<Device[]>([]);
  /** What fails in the what-if: devices, carriers, ducts. */
  protected readonly whatIf = new FormGroup({
    devices: new FormControl<string[]>([], { nonNullable: true }),
    carriers: new FormControl<string[]>([], { nonNullable: true }),
    ducts: new FormControl<string[]>([], { nonNullable: true }),
  });

  constructor() {
    this.cityCtl.valueChanges.subscribe(() => void Promise.all([this.loadSingle(false), this.loadShared(false)]));
    this.kindCtl.valueChanges.subscribe(() => void this.loadShared(false));
  }
  protected readonly impact = signal<WhatIfResult | null>(null);
  protected readonly dept = signal<DeptNetworks | null>(null);
  protected readonly error = signal<ApiError | null>(null);

  ngOnInit(): void {
    void this.tasks.run(async () => {
      await this.guard(async () => {
        const report = await this.api.report();
        this.cityOptions.set(report.byCity.filter((c) => c.code !== '36').map((c) => ({ value: c.code, label: c.name })));
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
      const chosen = new Set(this.whatIf.controls.devices.value);
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
      const kind = this.kindCtl.value;
      const page = await this.api.sharedRisk({ limit: PAGE, ...this.filters(), ...(kind ? { kind } : {}), ...(more && this.sharedNext() ? { after: this.sharedNext()! } : {}) });
      this.shared.update((items) => (more ? [...items, ...page.items] : page.items));
      this.sharedNext.set(page.nextCursor);
    });
  }

  /** Runs the what-if: which units lose both planes, their redundancy, or IPv6. */
  protected async runWhatIf(): Promise<void> {
    await this.guard(async () => {
      const { devices, carriers, ducts } = this.whatIf.getRawValue();
      this.impact.set(await this.api.whatIf({ deviceIds: devices, carriers, ducts, limit: 200 }));
    });
  }

  private filters() {
    const city = this.cityCtl.value;
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
