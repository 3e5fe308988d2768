import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { byClass, historyChart, usageChart } from './quota-format';
import { QuotaNodeComponent } from './quota-node.component';
import type { QuotaHistory, QuotaNodeSummary, ResourceClassName } from './quota-types';
import { QuotasApiService } from './quotas-api.service';

/** A department's own quota: used against cap per class, usage over the last 30 days, and the node's details and ledger. */
@Component({
  selector: 'app-my-quota',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NgxEchartsDirective, NzSelectModule, ErrorAlertComponent, TranslatePipe, QuotaNodeComponent],
  providers: [provideEchartsCore({ echarts: () => import('./quota-echarts').then((m) => m.echarts) })],
  template: `
    <app-error-alert [error]="error()" />
    @if (department(); as d) {
      <h3 class="department">{{ d.name }}</h3>
      <div class="mine-chart usage-chart" echarts [options]="usage()" [autoResize]="true"></div>
      <div class="history-head">
        <label for="my-quota-history-class">{{ 'quotas.history' | t }}</label>
        <nz-select class="history-class" nzId="my-quota-history-class" style="width: 160px" [formControl]="historyCtl">
          @for (c of classes(); track c) {
            <nz-option [nzValue]="c" [nzLabel]="'quotas.class.' + c | t" />
          }
        </nz-select>
      </div>
      <div class="history-chart" echarts [options]="historyOptions()" [autoResize]="true"></div>
      <app-quota-node [nodeId]="d.id" />
    } @else if (!loading()) {
      <p class="none">{{ 'quotas.mine.none' | t }}</p>
    }
  `,
  styleUrl: './quotas.component.css',
})
export class MyQuotaComponent implements OnInit {
  private readonly api = inject(QuotasApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);

  protected readonly department = signal<QuotaNodeSummary | null>(null);
  protected readonly history = signal<QuotaHistory>([]);
  protected readonly historyClass = signal<ResourceClassName>('vcpu');
  /** The history chart's class: a choice reads that class's history. */
  protected readonly historyCtl = new FormControl<ResourceClassName>('vcpu', { nonNullable: true });

  constructor() {
    this.historyCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe((c) => void this.pickClass(c));
  }
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);

  protected readonly classes = computed(() => byClass(this.department()?.usage ?? []).map((c) => c.resourceClass));
  protected readonly usage = computed(() =>
    usageChart(byClass(this.department()?.usage ?? []), (c) => this.i18n.t(`quotas.class.${c}`), { used: this.i18n.t('quotas.chart.used'), cap: this.i18n.t('quotas.chart.cap') }),
  );
  protected readonly historyOptions = computed(() => historyChart(this.history(), this.i18n.t(`quotas.class.${this.historyClass()}`)));

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    try {
      const [first] = (await this.api.mine()).items;
      this.department.set(first ?? null);
      if (first) {
        const initial = byClass(first.usage)[0]?.resourceClass ?? 'vcpu';
        this.historyClass.set(initial);
        this.historyCtl.setValue(initial, { emitEvent: false });
        this.history.set((await this.api.history(first.id, initial)).days);
      }
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.loading.set(false);
    }
  }

  async pickClass(c: ResourceClassName): Promise<void> {
    const d = this.department();
    if (!d) return;
    this.historyClass.set(c);
    this.history.set((await this.api.history(d.id, c)).days);
  }
}
