import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { API } from '../core/api-client';
import { toApiError, type ApiError } from '../core/api-error';
import type { ApiOutputs, AuditRecord, CloudSummary, Workflow } from '../core/api-types';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { WorkflowTitlePipe } from '../core/workflow-title';
import { percentDone } from '../workflows/progress';
import { liveRefresh } from '../core/live-refresh';
import { SessionStore } from '../core/session';
import { cloudName } from '../clouds/cloud-format';
import { OverviewPanelComponent } from './overview-panel.component';
import { PRESSURE_WARN, healthCounts, isDepartmentHome, mapPoints, panelsFor, quotaPressure, type Panel, type QuotaNode } from './overview-model';

type Alarm = ApiOutputs['devices']['alarms']['items'][number];
type RequestSummary = ApiOutputs['requests']['queue']['items'][number];
type QuotaChange = ApiOutputs['quotas']['changes']['items'][number];
type DriftLine = ApiOutputs['quotas']['drift']['items'][number];
/** Lines a panel lists; its badge counts them all. */
const OVERVIEW_LINES = 6;
type Coverage = ApiOutputs['extranet']['report'];
type SystemItem = ApiOutputs['systems']['list']['items'][number];

/** While the page is open it re-reads every panel this often, quietly (the figures change under it). */
const REFRESH_MS = 15_000;
const STATUS_COLORS: Record<string, string> = { up: '#389e0d', degraded: '#d46b08', down: '#cf1322', unknown: 'var(--gy-muted)' };

/**
 * The home after sign-in: is anything wrong right now, and what is waiting for me. Each panel reads
 * the same procedure as the page it links to, and only the panels the caller's roles may read are
 * shown (a department's people see their own systems, requests and quota; an auditor sees the trail).
 */
@Component({
  selector: 'app-overview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, NgxEchartsDirective, NzBadgeModule, NzButtonModule, NzProgressModule, TranslatePipe, WorkflowTitlePipe, OverviewPanelComponent],
  providers: [provideEchartsCore({ echarts: () => import('./overview-echarts').then((m) => m.echarts) })],
  templateUrl: './overview.component.html',
  styleUrl: './overview.component.css',
})
export class OverviewComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);
  private readonly session = inject(SessionStore);

  protected readonly user = this.session.user;
  protected readonly panels = computed(() => panelsFor(this.session.roles()));
  protected readonly departmentHome = computed(() => isDepartmentHome(this.session.roles()));
  protected readonly warn = PRESSURE_WARN;
  protected readonly percentDone = percentDone;

  protected readonly clouds = signal<CloudSummary[] | null>(null);
  /** The first open alarms and how many are open in all (the server's total, not the rows read). */
  protected readonly alarms = signal<{ items: Alarm[]; total: number } | null>(null);
  protected readonly queue = signal<RequestSummary[] | null>(null);
  protected readonly quotaChanges = signal<QuotaChange[] | null>(null);
  protected readonly quotaNodes = signal<QuotaNode[] | null>(null);
  /** The first drift lines and how many there are in all. */
  protected readonly drift = signal<{ items: DriftLine[]; total: number } | null>(null);
  protected readonly coverage = signal<Coverage | null>(null);
  protected readonly running = signal<Workflow[] | null>(null);
  protected readonly failed = signal<Workflow[] | null>(null);
  protected readonly systems = signal<SystemItem[] | null>(null);
  protected readonly myRequests = signal<RequestSummary[] | null>(null);
  protected readonly recentAudit = signal<AuditRecord[] | null>(null);
  protected readonly errors = signal<Partial<Record<Panel, ApiError>>>({});
  protected readonly updatedAt = signal<Date | null>(null);
  protected readonly refreshing = signal(false);

  protected readonly health = computed(() => healthCounts(this.clouds() ?? []));
  protected readonly pressure = computed(() => quotaPressure(this.quotaNodes() ?? []));
  protected readonly waitingCount = computed(() => (this.queue()?.length ?? 0) + (this.quotaChanges()?.length ?? 0));

  protected readonly mapOptions = computed<EChartsCoreOption>(() => {
    const t = (k: string) => this.i18n.t(k);
    const lang = this.i18n.lang();
    const points = mapPoints(this.clouds() ?? []);
    const statuses = ['up', 'degraded', 'down', 'unknown'] as const;
    return {
      aria: { enabled: true, label: { description: t('overview.map.aria') } },
      title: { text: t('overview.map.title'), left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item', formatter: (p: { data: { name: string; status: string } }) => `${p.data.name}<br/>${t('overview.clouds.' + p.data.status)}` },
      legend: { bottom: 0, data: statuses.map((s) => t('overview.clouds.' + s)) },
      grid: { left: 56, right: 24, top: 40, bottom: 64 },
      xAxis: { type: 'value', name: t('overview.map.x'), nameLocation: 'middle', nameGap: 28, min: 113.5, max: 118.5, axisLabel: { formatter: '{value}°' } },
      yAxis: { type: 'value', name: t('overview.map.y'), nameLocation: 'middle', nameGap: 40, min: 24.5, max: 30.2, axisLabel: { formatter: '{value}°' } },
      series: statuses.map((s) => ({
        name: t('overview.clouds.' + s),
        type: 'scatter',
        symbolSize: 16,
        itemStyle: { color: STATUS_COLORS[s] },
        label: { show: true, position: 'right', fontSize: 11, formatter: (p: { data: { name: string } }) => p.data.name },
        // Clouds sharing a city would print over each other; the tooltip still names each.
        labelLayout: { hideOverlap: true },
        data: points
          .filter((p) => p.status === s)
          .map((p) => {
            const cloud = this.clouds()?.find((c) => c.id === p.id);
            return { value: p.value, name: cloud ? cloudName(cloud, lang) : p.name, status: s, symbol: p.kind === 'xinchuang' ? 'diamond' : 'circle' };
          }),
      })),
    };
  });

  protected readonly quotaOptions = computed<EChartsCoreOption>(() => {
    const t = (k: string) => this.i18n.t(k);
    const rows = [...this.pressure()].reverse();
    return {
      aria: { enabled: true, label: { description: t('overview.quota.aria') } },
      title: { text: t('overview.quota.chart'), left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { bottom: 0, data: [t('overview.quota.series')] },
      grid: { left: 140, right: 32, top: 40, bottom: 80 },
      xAxis: { type: 'value', name: t('overview.quota.x'), nameLocation: 'middle', nameGap: 26, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 120, overflow: 'truncate' } },
      series: [
        {
          name: t('overview.quota.series'),
          type: 'bar',
          data: rows.map((r) => ({ value: r.percent, itemStyle: { color: r.percent >= PRESSURE_WARN ? '#cf1322' : '#1677ff' } })),
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
      ],
    };
  });

  constructor() {
    // A refresh the person started is not doubled.
    liveRefresh(REFRESH_MS, async () => {
      if (!this.refreshing()) await this.load();
    });
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  protected has(panel: Panel): boolean {
    return this.panels().has(panel);
  }

  protected cloudLabel(id: string | null): string {
    if (!id) return '';
    const cloud = this.clouds()?.find((c) => c.id === id);
    return cloud ? cloudName(cloud, this.i18n.lang()) : id;
  }

  protected classLabel(resourceClass: string): string {
    return this.i18n.t('quotas.class.' + resourceClass);
  }

  /** Reads every panel the caller may see, side by side; a failed panel says so and the rest still show. */
  async load(): Promise<void> {
    this.refreshing.set(true);
    const jobs: Promise<void>[] = [];
    const run = (panel: Panel, job: () => Promise<void>) =>
      jobs.push(
        job().then(
          () => this.errors.update(({ [panel]: _gone, ...rest }) => rest),
          (err: unknown) => this.errors.update((e) => ({ ...e, [panel]: toApiError(err) })),
        ),
      );
    // Clouds feed the names of every other panel, so every role reads them.
    run('clouds', async () => this.clouds.set((await this.api.clouds.list.query({})).items));
    if (this.has('alarms')) run('alarms', async () => this.alarms.set(await this.api.devices.alarms.query({ open: true, limit: OVERVIEW_LINES })));
    if (this.has('approvals') || this.departmentHome()) {
      run('approvals', async () => {
        const operator = this.session.hasAnyRole(['admin', 'cloud-operator']);
        const [queue, changes] = await Promise.all([
          this.api.requests.queue.query({}),
          operator ? this.api.quotas.changes.query({ status: 'pending', limit: 20 }) : Promise.resolve({ items: [] }),
        ]);
        this.queue.set(queue.items);
        this.quotaChanges.set(changes.items);
      });
    }
    if (this.has('quota')) run('quota', () => this.loadQuota());
    if (this.has('drift')) run('drift', async () => this.drift.set(await this.api.quotas.drift.query({ limit: OVERVIEW_LINES })));
    if (this.has('extranet')) run('extranet', async () => this.coverage.set(await this.api.extranet.report.query({})));
    if (this.has('workflows')) {
      run('workflows', async () => {
        const [running, failed] = await Promise.all([
          this.api.workflows.list.query({ status: 'running', limit: 10 }),
          this.api.workflows.list.query({ status: 'failed', limit: 5 }),
        ]);
        this.running.set(running.items);
        this.failed.set(failed.items);
      });
    }
    if (this.has('mine')) {
      run('mine', async () => {
        const [systems, mine] = await Promise.all([this.api.systems.list.query({}), this.api.requests.list.query({ mine: true })]);
        this.systems.set(systems.items);
        this.myRequests.set(mine.items.slice(0, 8));
      });
    }
    if (this.has('audit')) run('audit', async () => this.recentAudit.set((await this.api.audit.list.query({ limit: 8 })).items));
    await Promise.all(jobs);
    this.updatedAt.set(new Date());
    this.refreshing.set(false);
  }

  /** Province-wide callers see the departments under the province; a department's people see their own nodes. */
  private async loadQuota(): Promise<void> {
    if (this.departmentHome()) {
      this.quotaNodes.set((await this.api.quotas.mine.query({})).items);
      return;
    }
    const roots = (await this.api.quotas.tree.query({})).items;
    const province = roots.length === 1 && roots[0]!.level === 'province' ? roots[0]! : null;
    const nodes = province ? (await this.api.quotas.tree.query({ parentId: province.id })).items : roots;
    // Cities hold departments: go one level further so the chart compares departments.
    const cities = nodes.filter((n) => n.level === 'city');
    const departments = cities.length
      ? [...nodes.filter((n) => n.level !== 'city'), ...(await Promise.all(cities.map((c) => this.api.quotas.tree.query({ parentId: c.id })))).flatMap((p) => p.items)]
      : nodes;
    this.quotaNodes.set(departments);
  }
}
