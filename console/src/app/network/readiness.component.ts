import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzStatisticModule } from 'ng-zorro-antd/statistic';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { NetworkApiService } from './network-api.service';
import { percent } from './network-format';
import { provideNetworkIcons } from './network-icons';
import { NetworkNavComponent } from './network-nav.component';
import type { CoverageReport, HistoryPoint } from './network-types';

/** The readiness dashboard: dual-plane coverage and IPv6 readiness by city, by level and over time. */
@Component({
  selector: 'app-network-readiness',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NgxEchartsDirective, NzCardModule, NzSelectModule, NzStatisticModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe, NetworkNavComponent],
  providers: [provideNetworkIcons(), provideEchartsCore({ echarts: () => import('./network-echarts').then((m) => m.echarts) })],
  templateUrl: './readiness.component.html',
  styles: `
    .totals { display: flex; gap: 16px; flex-wrap: wrap; margin-bottom: 16px; }
    .totals nz-card { min-width: 180px; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
    .chart { height: 320px; }
  `,
})
export class ReadinessComponent implements OnInit {
  private readonly api = inject(NetworkApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);

  protected readonly report = signal<CoverageReport | null>(null);
  protected readonly history = signal<HistoryPoint[]>([]);
  protected readonly scope = signal('36');
  /** The history chart's scope (the province or a city): a choice reads that scope's history. */
  protected readonly scopeCtl = new FormControl('36', { nonNullable: true });
  protected readonly error = signal<ApiError | null>(null);
  protected readonly percent = percent;

  protected readonly totals = computed(() => {
    const t = this.report()?.total;
    if (!t) return null;
    return { ...t, dualP: percent(t.dualPlane, t.units), singleP: percent(t.singleHomed, t.units), noneP: percent(t.none, t.units), v6P: percent(t.ipv6Ready, t.units) };
  });

  protected readonly cityChart = computed<EChartsCoreOption>(() => {
    const r = this.report();
    const t = (k: string) => this.i18n.t(k);
    const cities = r?.byCity ?? [];
    const share = (pick: (c: CoverageReport['byCity'][number]) => number) => cities.map((c) => percent(pick(c), c.units));
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 56 },
      xAxis: { type: 'category', data: cities.map((c) => (c.code === '36' ? t('network.provinceLevel') : c.name)), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: t('network.kpi.dual'), type: 'bar', stack: 'c', data: share((c) => c.dualPlane), itemStyle: { color: '#52c41a' } },
        { name: t('network.kpi.single'), type: 'bar', stack: 'c', data: share((c) => c.singleHomed), itemStyle: { color: '#faad14' } },
        { name: t('network.kpi.none'), type: 'bar', stack: 'c', data: share((c) => c.none), itemStyle: { color: '#ff4d4f' } },
        { name: t('network.kpi.v6'), type: 'line', data: share((c) => c.ipv6Ready), itemStyle: { color: '#1677ff' } },
      ],
    };
  });

  protected readonly levelChart = computed<EChartsCoreOption>(() => {
    const levels = this.report()?.byLevel ?? [];
    const t = (k: string) => this.i18n.t(k);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: levels.map((l) => t(`network.level.${l.level}`)) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: t('network.kpi.dual'), type: 'bar', data: levels.map((l) => percent(l.dualPlane, l.units)), itemStyle: { color: '#52c41a' } },
        { name: t('network.kpi.v6'), type: 'bar', data: levels.map((l) => percent(l.ipv6Ready, l.units)), itemStyle: { color: '#1677ff' } },
      ],
    };
  });

  protected readonly historyChart = computed<EChartsCoreOption>(() => {
    const h = this.history();
    const t = (k: string) => this.i18n.t(k);
    const line = (name: string, pick: (p: HistoryPoint) => number, color: string) => ({ name, type: 'line', smooth: true, data: h.map((p) => percent(pick(p), p.units)), itemStyle: { color } });
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: h.map((p) => p.day) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [line(t('network.kpi.dual'), (p) => p.dualPlane, '#52c41a'), line(t('network.kpi.single'), (p) => p.singleHomed, '#faad14'), line(t('network.kpi.v6'), (p) => p.ipv6Ready, '#1677ff')],
    };
  });

  /** True when the history shown includes back-filled demo days (said on the page, never passed off as history). */
  protected readonly hasDemoDays = computed(() => this.history().some((p) => p.source === 'demo'));

  ngOnInit(): void {
    void this.tasks.run(async () => {
      try {
        const [report, history] = await Promise.all([this.api.report(), this.api.history('36')]);
        this.report.set(report);
        this.history.set(history.items);
      } catch (err) {
        this.error.set(toApiError(err));
      }
    });
  }

  constructor() {
    this.scopeCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe((scope) => void this.chooseScope(scope));
  }

  protected async chooseScope(scope: string): Promise<void> {
    this.scope.set(scope);
    this.scopeCtl.setValue(scope, { emitEvent: false });
    try {
      this.history.set((await this.api.history(scope)).items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
