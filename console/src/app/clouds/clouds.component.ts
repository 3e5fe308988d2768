import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { API } from '../core/api-client';
import type { CloudKind, CloudSummary } from '../core/api-types';
import { FilterSelectComponent } from '../core/filter-select.component';
import { I18nService } from '../core/i18n/i18n.service';
import { Loaded } from '../core/loaded';
import { CIRCUIT_COLOR, HEALTH_BADGE, KIND_COLOR, agoText, amount, archLabel, capacityGroups, cloudName, vcpuTotals } from './cloud-format';
import { LIST_PAGE_IMPORTS } from '../core/list-page';
import { type TableColumn } from '../core/data-table.component';

/** How often the "checked N s ago" texts move on. */
const CLOCK_MS = 5_000;

@Component({
  selector: 'app-clouds',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, DatePipe, ReactiveFormsModule, RouterLink, NgxEchartsDirective, NzBadgeModule, NzProgressModule, NzSelectModule, NzTagModule, NzTooltipModule, FilterSelectComponent],
  providers: [provideEchartsCore({ echarts: () => import('./echarts-setup').then((m) => m.echarts) })],
  templateUrl: './clouds.component.html',
  styleUrl: './clouds.component.css',
})
export class CloudsComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);

  protected readonly columns: readonly TableColumn[] = [
    'clouds.name', 'clouds.region', 'clouds.kind', 'clouds.siteRoles', 'clouds.health', 'clouds.circuit',
    'clouds.capacity', 'clouds.lastSync',
  ];
  protected readonly byCloud = (row: { cloud: { id: string } }): string => row.cloud.id;
  protected readonly kinds: readonly CloudKind[] = ['general', 'xinchuang'];
  protected readonly healthBadge = HEALTH_BADGE;
  protected readonly circuitColor = CIRCUIT_COLOR;
  protected readonly kindColor = KIND_COLOR;
  protected readonly amount = amount;

  /** The filters: a change lists again at once. */
  protected readonly regionCtl = new FormControl<string | null>(null);
  protected readonly kindCtl = new FormControl<CloudKind | null>(null);

  private readonly list = new Loaded(() => {
    const region = this.regionCtl.value;
    const kind = this.kindCtl.value;
    return this.api.clouds.list.query({ ...(region ? { region } : {}), ...(kind ? { kind } : {}) });
  }, { items: [] as CloudSummary[] });
  protected readonly clouds = computed(() => this.list.value().items);
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  /** Every region seen so far, so the region filter keeps its options while filtered. */
  private readonly regionsSeen = signal<ReadonlyMap<string, string>>(new Map());
  private readonly now = signal(Date.now());

  protected readonly regions = computed(() =>
    [...this.regionsSeen()].map(([value, label]) => ({ value, label })).sort((a, b) => a.value.localeCompare(b.value)),
  );

  /** Per cloud, what the table shows beyond the raw record. */
  protected readonly rows = computed(() => {
    const lang = this.i18n.lang();
    const now = this.now();
    return this.clouds().map((cloud) => ({
      cloud,
      name: cloudName(cloud, lang),
      checkedAgo: agoText(cloud.health.checkedAt, now, this.i18n),
      groups: capacityGroups(cloud.capacity).map((g) => ({ ...g, label: archLabel(g.arch, g.vendor, this.i18n) })),
    }));
  });

  protected readonly chartOptions = computed<EChartsCoreOption>(() => {
    const lang = this.i18n.lang();
    const clouds = this.clouds();
    const label = this.i18n.t('cloud.chart.vcpu');
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
      grid: { left: 48, right: 16, top: 16, bottom: 64 },
      xAxis: {
        type: 'category',
        data: clouds.map((c) => cloudName(c, lang)),
        axisLabel: { interval: 0, rotate: clouds.length > 6 ? 30 : 0 },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: label,
          type: 'bar',
          barMaxWidth: 32,
          data: clouds.map((c) => {
            const v = vcpuTotals(c).percent;
            return { value: v, itemStyle: { color: v >= 85 ? '#cf1322' : v >= 70 ? '#faad14' : '#1677ff' } };
          }),
        },
      ],
    };
  });

  constructor() {
    this.regionCtl.valueChanges.subscribe(() => void this.load());
    this.kindCtl.valueChanges.subscribe(() => void this.load());
    const timer = setInterval(() => this.now.set(Date.now()), CLOCK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    const result = await this.list.load();
    if (!result) return;
    this.now.set(Date.now());
    this.regionsSeen.update((seen) => {
      const next = new Map(seen);
      for (const c of result.items) next.set(c.region, c.regionName);
      return next;
    });
  }

  protected barStatus(percent: number): 'normal' | 'exception' {
    return percent >= 90 ? 'exception' : 'normal';
  }
}
