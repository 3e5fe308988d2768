import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe, DecimalPipe } from '@angular/common';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import { ErrorTextPipe } from '../core/error-text';
import type { ApiOutputs } from '../core/api-types';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import { RouterLink } from '@angular/router';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { VisibleResizeDirective } from './visible-resize.directive';
import { centreMapOptions } from './centre-map';
import { centreDisplayName } from './centre-name';
import { DrCalendarComponent } from './dr-calendar.component';
import { DrPlanComponent } from './dr-plan.component';
import { liveRefresh } from '../core/live-refresh';
import type { Subscription } from '../core/streams';
import { PagedList } from '../core/paged-list';

type Centres = ApiOutputs['dr']['centres'];
type Readiness = ApiOutputs['dr']['protection']['readiness']['items'][number];
type Group = ApiOutputs['dr']['protection']['list']['items'][number];
type Plan = ApiOutputs['dr']['plans']['list']['items'][number];
type Run = ApiOutputs['dr']['runs']['list']['items'][number];

/** How often the centres, links and readiness are re-read (an inventory sync runs every 30 s by default). */
const REFRESH_MS = 15_000;

const STATE_COLORS: Record<string, string> = { ready: 'green', 'at-risk': 'orange', 'not-ready': 'red', unprotected: 'default', healthy: 'green', lagging: 'orange', broken: 'red' };

/**
 * The DR area: centres and replication links with their live lag, protection and readiness per system,
 * each group's plans with their RTO estimate, drills started here with live progress over SSE, and the
 * printable report of each run. Departments see their own systems; operators may start drills.
 */
@Component({
  selector: 'app-dr',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [provideEchartsCore({ echarts: () => import('./dr-echarts').then((m) => m.echarts) })],
  styles: `.centre-map { height: 280px; border: 1px solid #e5e7eb; margin-bottom: 12px; }`,
  imports: [NgxEchartsDirective, VisibleResizeDirective, DatePipe, DecimalPipe, DrCalendarComponent, DrPlanComponent, RouterLink, NzAlertModule, NzButtonModule, NzProgressModule, NzTableModule, NzTabsModule, NzTagModule, ErrorTextPipe, TranslatePipe],
  template: `
    <h2>{{ 'dr.title' | t }}</h2>
    @if (error(); as e) { <nz-alert class="dr-error" nzType="error" [nzMessage]="e | errorText" nzShowIcon></nz-alert> }
    <nz-tabs>
      <nz-tab [nzTitle]="'dr.tab.centres' | t">
        @if (centres()?.centres?.length) {
          <div class="centre-map" echarts appVisibleResize [options]="centreMap()" [autoResize]="false" role="img" [attr.aria-label]="'dr.mapLabel' | t"></div>
        }
        <nz-table #centreTable class="centres" [nzData]="centres()?.centres ?? []" nzSize="small" [nzFrontPagination]="false" [nzNoResult]="'dr.empty' | t">
          <thead><tr><th>{{ 'dr.centre' | t }}</th><th>{{ 'dr.role' | t }}</th></tr></thead>
          <tbody>
            @for (c of centreTable.data; track c.id) {
              <tr [attr.data-centre]="c.id"><td class="name">{{ centreDisplayName(c, i18n) }}</td><td class="role"><nz-tag>{{ 'dr.role.' + c.role | t }}</nz-tag></td></tr>
            }
          </tbody>
        </nz-table>
        <nz-table #linkTable class="links" [nzData]="centres()?.links ?? []" nzSize="small" [nzFrontPagination]="false" [nzNoResult]="'dr.empty' | t">
          <thead><tr><th>{{ 'dr.link' | t }}</th><th>{{ 'dr.from' | t }} → {{ 'dr.to' | t }}</th><th>{{ 'dr.mode' | t }}</th><th>{{ 'dr.state' | t }}</th><th>{{ 'dr.lag' | t }}</th><th>{{ 'dr.measuredAt' | t }}</th></tr></thead>
          <tbody>
            @for (l of linkTable.data; track l.id) {
              <tr [attr.data-link]="l.id">
                <td>{{ l.id }}</td><td [title]="(l.from ?? '') + ' → ' + (l.to ?? '')">{{ centreName(l.from) }} → {{ centreName(l.to) }}</td><td class="mode">{{ l.mode }}</td>
                <td class="state"><nz-tag [nzColor]="color(l.state)">{{ l.state }}</nz-tag></td><td class="lag">{{ l.lagSeconds | number: '1.0-1' }} s</td><td>{{ l.measuredAt | date: 'yyyy-MM-dd HH:mm:ss' }}</td>
              </tr>
            }
          </tbody>
        </nz-table>
      </nz-tab>
      <nz-tab [nzTitle]="'dr.tab.protection' | t">
        <nz-table #readyTable class="readiness" [nzData]="readiness()" nzSize="small" [nzFrontPagination]="false" [nzNoResult]="'dr.empty' | t">
          <thead><tr><th>{{ 'dr.system' | t }}</th><th>{{ 'dr.department' | t }}</th><th>{{ 'dr.level' | t }}</th><th>{{ 'dr.readiness' | t }}</th><th>{{ 'dr.problems' | t }}</th><th>{{ 'dr.daysSinceDrill' | t }}</th></tr></thead>
          <tbody>
            @for (r of readyTable.data; track r.systemId) {
              <tr [attr.data-system]="r.systemId">
                <td class="name">{{ r.name }}</td><td>{{ r.departmentName }}</td><td>{{ r.drLevel }} ({{ r.drEdition }})</td>
                <td class="state"><nz-tag [nzColor]="color(r.state)">{{ 'dr.readiness.' + r.state | t }}</nz-tag></td>
                <td class="problems">{{ problems(r) }}</td><td>{{ r.daysSinceDrill ?? '—' }}</td>
              </tr>
            }
          </tbody>
        </nz-table>
        @for (g of groups(); track g.id) {
          <div class="group" [attr.data-group]="g.id">
            <h3>{{ 'dr.group' | t }}: {{ g.name }} <small>({{ g.mode }}, RTO {{ g.rtoSeconds }} s, RPO {{ g.rpoSeconds }} s)</small></h3>
            @for (p of plansOf(g.id); track p.id) {
              <div class="plan" [attr.data-plan]="p.id">
                {{ 'dr.plans' | t }}: {{ p.name }} v{{ p.latestVersion }}
                @if (canOperate()) {
                  <button nz-button nzSize="small" nzType="primary" class="start-drill" [nzLoading]="actions.busy(p.id)" (click)="startDrill(g, p)">{{ 'dr.startDrill' | t }}</button>
                }
              </div>
            }
          </div>
        }
        @if (groupsNext()) {
          <button nz-button nzType="link" class="more-groups" (click)="moreGroups()">{{ 'common.loadMore' | t }}</button>
        }
      </nz-tab>
      <nz-tab [nzTitle]="'dr.tab.plans' | t">
        <ng-template nz-tab>
          <app-dr-plan [groups]="groups()" [plans]="plans()" [systems]="systemNames()" [canEdit]="canOperate()" (saved)="reloadPlans()" />
        </ng-template>
      </nz-tab>
      <nz-tab [nzTitle]="'dr.tab.runs' | t">
        <nz-table #runTable class="runs" [nzData]="runs()" nzSize="small" [nzFrontPagination]="false" [nzNoResult]="'dr.empty' | t">
          <thead><tr><th>{{ 'dr.group' | t }}</th><th>{{ 'dr.kind' | t }}</th><th>{{ 'dr.from' | t }} → {{ 'dr.to' | t }}</th><th>{{ 'dr.status' | t }}</th><th>{{ 'dr.progress' | t }}</th><th>{{ 'dr.startedBy' | t }}</th><th>{{ 'dr.report' | t }}</th></tr></thead>
          <tbody>
            @for (r of runTable.data; track r.id) {
              <tr [attr.data-run]="r.id">
                <td>{{ r.groupName }}</td><td class="kind">{{ 'dr.kind.' + r.kind | t }}</td><td class="centres" [title]="r.sourceCentre + ' → ' + r.targetCentre">{{ centreName(r.sourceCentre) }} → {{ centreName(r.targetCentre) }}</td>
                <td class="status">{{ r.status }} @if (live() === r.id) { <nz-tag nzColor="blue" class="live">{{ 'dr.live' | t }}</nz-tag> }</td>
                <td class="progress">@if (progress()[r.id]; as pr) { <nz-progress nzSize="small" [nzPercent]="pr.percent"></nz-progress> }</td>
                <td>{{ r.operator }}</td>
                <td>
                  <a nz-button nzSize="small" class="open-run" [routerLink]="['/dr/runs', r.id]">{{ 'dr.openRun' | t }}</a>
                  @if (r.finishedAt) { <button nz-button nzSize="small" class="open-report" (click)="openReport(r)">{{ 'dr.openReport' | t }}</button> }
                </td>
              </tr>
            }
          </tbody>
        </nz-table>
        @if (runList.error(); as e) { <nz-alert class="runs-error" nzType="error" [nzMessage]="e | errorText" nzShowIcon></nz-alert> }
        @if (runList.hasMore()) {
          <button nz-button nzType="link" class="more-runs" [nzLoading]="runList.loading()" (click)="runList.more()">{{ 'common.loadMore' | t }}</button>
        }
      </nz-tab>
      <nz-tab [nzTitle]="'dr.tab.calendar' | t">
        <ng-template nz-tab>
          <app-dr-calendar [groups]="groups()" [plans]="plans()" [centreName]="centreNameFn" />
        </ng-template>
      </nz-tab>
    </nz-tabs>
  `,
})
export class DrComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);
  protected readonly i18n = inject(I18nService);

  protected readonly centres = signal<Centres | null>(null);
  protected readonly readiness = signal<Readiness[]>([]);
  protected readonly groups = signal<Group[]>([]);
  /** Where the next page of protection groups starts (the server pages them by name); null when all are shown. */
  protected readonly groupsNext = signal<string | null>(null);
  protected readonly plans = signal<Plan[]>([]);
  /** Newest first, a page at a time (dr.runs.list pages by cursor); re-read quietly when a run starts or ends. */
  protected readonly runList = new PagedList<Run>({
    load: (cursor) => this.api.dr.runs.list.query({ limit: 50, ...(cursor ? { cursor } : {}) }),
    key: (r) => r.id,
  });
  protected readonly runs = this.runList.items;
  protected readonly error = signal<ApiError | null>(null);
  /** Starting a drill, by plan. */
  protected readonly actions = new Actions({ error: this.error });
  protected readonly live = signal<string | null>(null);
  protected readonly progress = signal<Record<string, { percent: number }>>({});
  protected readonly canOperate = computed(() => this.session.hasAnyRole(['admin', 'cloud-operator']));
  /** The centres and links as a topology, redrawn at every refresh (the lag is the live RPO). */
  protected readonly centreMap = computed(() => {
    const c = this.centres();
    if (!c) return {};
    return centreMapOptions(c.centres.map((x) => ({ id: x.id, cloudId: x.cloudId, role: x.role, label: centreDisplayName(x, this.i18n) })), c.links.flatMap((l) => (l.from && l.to ? [{ ...l, from: l.from, to: l.to }] : [])), (r) => this.i18n.t(`dr.role.${r}`));
  });
  protected readonly systemNames = computed(() => this.readiness().map((r) => ({ id: r.systemId, name: r.name })));
  private subscription: Subscription | null = null;

  constructor() {
    // Links and readiness move with every inventory sync: re-read them while the page is open.
    liveRefresh(REFRESH_MS, () => this.refreshLive());
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  private async refreshLive(): Promise<void> {
    try {
      const [centres, readiness] = await Promise.all([this.api.dr.centres.query(), this.api.dr.protection.readiness.query({})]);
      this.centres.set(centres);
      this.readiness.set(readiness.items);
    } catch {
      // A missed refresh is not an error worth a banner: the next one tries again, and a load error shows.
    }
  }

  protected color(state: string): string {
    return STATE_COLORS[state] ?? 'default';
  }

  protected readonly centreDisplayName = centreDisplayName;

  /** For the calendar tab, which shows centres by name too. */
  protected readonly centreNameFn = (id: string): string => this.centreName(id);

  protected centreName(id: string | null): string {
    const c = this.centres()?.centres.find((x) => x.id === id);
    return c ? centreDisplayName(c, this.i18n) : (id ?? '—');
  }

  protected problems(r: Readiness): string {
    return r.checks.filter((c) => !c.ok).map((c) => this.i18n.text(c.message)).join('; ') || '—';
  }

  protected plansOf(groupId: string): Plan[] {
    return this.plans().filter((p) => p.groupId === groupId);
  }

  protected async startDrill(g: Group, p: Plan): Promise<void> {
    await this.actions.run(p.id, async () => {
      const run = await this.api.dr.runs.start.mutate({ groupId: g.id, kind: 'drill', planId: p.id });
      await this.loadRuns();
      this.follow(run.id);
    });
  }

  protected async openReport(r: Run): Promise<void> {
    try {
      const { html } = await this.api.dr.runs.report.query({ id: r.id, format: 'html' });
      const url = URL.createObjectURL(new Blob([html ?? ''], { type: 'text/html' }));
      window.open(url, '_blank', 'noopener');
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }

  /** Live progress of a run over SSE; the run list is re-read when it ends. */
  private follow(runId: string): void {
    this.subscription?.unsubscribe();
    this.subscription = this.api.dr.runs.onProgress.subscribe({ id: runId, afterSeq: 0 }, {
      onStarted: () => this.live.set(runId),
      onData: (event) => {
        this.progress.update((p) => ({ ...p, [runId]: { percent: event.stepsTotal ? Math.round((100 * event.stepsDone) / event.stepsTotal) : 0 } }));
        if (/^workflow\.(succeeded|failed|cancelled|needs-attention)$/.test(event.kind)) {
          this.live.set(null);
          void this.loadRuns();
        }
      },
      onError: () => this.live.set(null),
    });
  }

  /** A plan version was saved in the plans tab: the group lists show its new latest version. */
  protected async reloadPlans(): Promise<void> {
    try {
      const plans = await Promise.all(this.groups().map((g) => this.api.dr.plans.list.query({ groupId: g.id })));
      this.plans.set(plans.flatMap((p) => p.items));
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }

  private async loadRuns(): Promise<void> {
    await this.runList.refresh();
  }

  private async load(): Promise<void> {
    try {
      const [centres, readiness, groups] = await Promise.all([
        this.api.dr.centres.query(),
        this.api.dr.protection.readiness.query({}),
        this.api.dr.protection.list.query({}),
      ]);
      this.centres.set(centres);
      this.readiness.set(readiness.items);
      this.groups.set(groups.items);
      this.groupsNext.set(groups.nextCursor);
      const plans = await Promise.all(groups.items.map((g) => this.api.dr.plans.list.query({ groupId: g.id })));
      this.plans.set(plans.flatMap((p) => p.items));
      await this.loadRuns();
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }

  /** The next page of protection groups, with their plans. */
  protected async moreGroups(): Promise<void> {
    const cursor = this.groupsNext();
    if (!cursor) return;
    try {
      const page = await this.api.dr.protection.list.query({ cursor });
      const fresh = page.items.filter((g) => !this.groups().some((x) => x.id === g.id));
      const plans = await Promise.all(fresh.map((g) => this.api.dr.plans.list.query({ groupId: g.id })));
      this.groups.update((gs) => [...gs, ...fresh]);
      this.plans.update((ps) => [...ps, ...plans.flatMap((p) => p.items)]);
      this.groupsNext.set(page.nextCursor);
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }
}
