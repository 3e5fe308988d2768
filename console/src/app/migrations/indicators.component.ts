import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, input, signal } from '@angular/core';
import { PercentPipe } from '@angular/common';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzTableModule } from 'ng-zorro-antd/table';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import type { ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { breakdownOptions, previousMonth, trendOptions, type IndicatorLabels } from './indicators-chart';

type Current = ApiOutputs['migrations']['indicators']['current'];
type Row = Current['items'][number];
type Point = ApiOutputs['migrations']['indicators']['history']['items'][number];

const HISTORY_DAYS = 180;

/**
 * The province's progress indicators (issue 12.7): the share of systems on the cloud and on Xinchuang over
 * time from the daily snapshots, per city and per department now, and the month's CSV for the monthly report.
 * Departments see their own department's line (the server scopes it); operators can take today's snapshot.
 */
@Component({
  selector: 'app-mig-indicators',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [PercentPipe, ReactiveFormsModule, NgxEchartsDirective, NzButtonModule, NzInputModule, NzTableModule, ErrorAlertComponent, TranslatePipe],
  providers: [provideEchartsCore({ echarts: () => import('./migrations-echarts').then((m) => m.echarts) })],
  template: `
    <h3>{{ 'mig.ind.title' | t }}</h3>
    <div class="toolbar">
      <label for="mig-ind-month">{{ 'mig.ind.month' | t }}</label>
      <input nz-input type="month" id="mig-ind-month" class="month" [formControl]="monthCtl" />
      <button nz-button class="export" [disabled]="monthCtl.invalid" [nzLoading]="actions.busy('export')" (click)="exportCsv()">{{ 'mig.ind.export' | t }}</button>
      @if (canOperate()) {
        <button nz-button class="snapshot" [nzLoading]="actions.busy('snapshot')" (click)="snapshot()">{{ 'mig.ind.snapshot' | t }}</button>
      }
    </div>
    @if (notice(); as n) { <p class="notice" role="status">{{ n }}</p> }
    <app-error-alert [error]="error()" />
    @if (trend().length) {
      <div class="trend-chart chart" echarts [options]="trendChart()" [autoResize]="true" role="img" [attr.aria-label]="'mig.ind.chart' | t: { title: ('mig.ind.trend' | t) }"></div>
    } @else if (loaded()) {
      <p class="no-history">{{ 'mig.ind.noHistory' | t }}</p>
    }
    @if (cities().length) {
      <div class="city-chart chart" echarts [options]="cityChart()" [autoResize]="true" role="img" [attr.aria-label]="'mig.ind.chart' | t: { title: ('mig.ind.byCity' | t) }"></div>
    }
    @if (departments().length) {
      <div class="department-chart chart" echarts [options]="departmentChart()" [autoResize]="true" role="img" [attr.aria-label]="'mig.ind.chart' | t: { title: ('mig.ind.byDepartment' | t) }"></div>
    }
    <nz-table #table class="indicators" [nzData]="rows()" nzSize="small" [nzFrontPagination]="false" [nzNoResult]="'mig.empty' | t">
      <thead><tr>
        <th>{{ 'mig.ind.scope' | t }}</th><th>{{ 'mig.ind.name' | t }}</th><th>{{ 'mig.ind.systems' | t }}</th>
        <th>{{ 'mig.ind.onCloudCount' | t }}</th><th>{{ 'mig.ind.onCloud' | t }}</th><th>{{ 'mig.ind.xinchuangCount' | t }}</th><th>{{ 'mig.ind.xinchuang' | t }}</th>
      </tr></thead>
      <tbody>
        @for (r of table.data; track r.scope + r.code) {
          <tr [attr.data-scope]="r.scope" [attr.data-code]="r.code">
            <td>{{ 'mig.ind.scope.' + r.scope | t }}</td><td class="name">{{ r.name }}</td><td>{{ r.systems }}</td>
            <td>{{ r.onCloud }}</td><td class="on-cloud">{{ r.onCloudShare | percent: '1.0-1' }}</td>
            <td>{{ r.onXinchuang }}</td><td class="xinchuang">{{ r.xinchuangShare | percent: '1.0-1' }}</td>
          </tr>
        }
      </tbody>
    </nz-table>
  `,
  styles: `
    .toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; }
    .month { max-width: 180px; }
    .chart { width: 100%; height: 320px; margin-bottom: 16px; }
  `,
})
export class IndicatorsComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);

  readonly canOperate = input(false);

  protected readonly current = signal<Current | null>(null);
  protected readonly trend = signal<Point[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly actions = new Actions<'export' | 'snapshot'>({ error: this.error, clear: () => this.notice.set(null) });
  protected readonly monthCtl = new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.pattern(/^\d{4}-\d{2}$/)] });

  protected readonly rows = computed(() => this.current()?.items ?? []);
  protected readonly cities = computed(() => this.rows().filter((r) => r.scope === 'city'));
  protected readonly departments = computed(() => this.rows().filter((r) => r.scope === 'department'));
  private readonly labels = computed((): IndicatorLabels => {
    const t = (k: string) => this.i18n.t(k);
    return { title: t('mig.ind.trend'), onCloud: t('mig.ind.onCloud'), xinchuang: t('mig.ind.xinchuang'), day: t('mig.ind.day'), share: t('mig.ind.share'), systems: t('mig.ind.systems') };
  });
  protected readonly trendChart = computed(() => trendOptions(this.trend(), this.labels()));
  protected readonly cityChart = computed(() => breakdownOptions(this.cities() as Row[], { ...this.labels(), title: this.i18n.t('mig.ind.byCity'), scope: this.i18n.t('mig.ind.city') }));
  protected readonly departmentChart = computed(() => breakdownOptions(this.departments() as Row[], { ...this.labels(), title: this.i18n.t('mig.ind.byDepartment'), scope: this.i18n.t('mig.department') }));

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  private async load(): Promise<void> {
    try {
      const current = await this.api.migrations.indicators.current.query({});
      this.current.set(current);
      if (!this.monthCtl.value) this.monthCtl.setValue(previousMonth(current.day));
      const from = new Date(Date.parse(`${current.day}T00:00:00Z`) - HISTORY_DAYS * 86_400_000).toISOString().slice(0, 10);
      const history = await this.api.migrations.indicators.history.query({ from, to: current.day });
      // The province line for province-wide readers; a department's own line otherwise (the server sends only those).
      const province = history.items.filter((p) => p.scope === 'province');
      this.trend.set(province.length ? province : history.items.filter((p) => p.code === history.items[0]?.code));
      this.error.set(null);
    } catch (e) {
      this.error.set(toApiError(e));
    } finally {
      this.loaded.set(true);
    }
  }

  protected async snapshot(): Promise<void> {
    await this.actions.run('snapshot', async () => {
      const out = await this.api.migrations.indicators.snapshot.mutate();
      this.notice.set(this.i18n.t('mig.ind.snapshotTaken', { day: out.day }));
      await this.load();
    });
  }

  protected async exportCsv(): Promise<void> {
    await this.actions.run('export', async () => {
      const out = await this.api.migrations.indicators.exportCsv.query({ month: this.monthCtl.value });
      const url = URL.createObjectURL(new Blob([out.csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = out.filename;
      a.click();
      URL.revokeObjectURL(url);
    });
  }
}
