import { ChangeDetectionStrategy, Component, DestroyRef, PendingTasks, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { DatePipe, PercentPipe } from '@angular/common';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import type { PlanDetail, Version, VersionSummary } from './migrations-types';
import { explanationsOf, gapOf, scheduleOptions, scheduleRows, waveGroups, type ScheduleWindow } from './schedule-chart';

const VERSION_COLORS: Record<string, string> = { solving: 'blue', solved: 'green', approved: 'green', infeasible: 'red', failed: 'red', superseded: 'default' };
const POLL_MS = 2000;

/** The plan's weekly windows, from its first Monday (what a version's input also lists). */
export function planWindows(firstWeek: string, weeks: number): ScheduleWindow[] {
  const start = Date.parse(`${firstWeek}T00:00:00Z`);
  return Array.from({ length: weeks }, (_, i) => ({ id: `W${i + 1}`, weekStart: new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10) }));
}

/** The version shown first: the approved one, else the newest plan version (not a what-if), else the newest. */
export function defaultVersion(versions: readonly VersionSummary[]): VersionSummary | undefined {
  const newest = [...versions].sort((a, b) => b.version - a.version);
  return newest.find((v) => v.status === 'approved') ?? newest.find((v) => !v.whatIf) ?? newest[0];
}

/**
 * A plan's schedule: its versions, the chosen one as a Gantt calendar by wave with the makespan, the proven
 * lower bound and the gap, or the solver's explanations when it is infeasible. Operators solve a new version,
 * run a what-if (windows cancelled) and approve a solved version into waves.
 */
@Component({
  selector: 'app-mig-schedule',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, PercentPipe, ReactiveFormsModule, NgxEchartsDirective, NzButtonModule, NzSelectModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  providers: [provideEchartsCore({ echarts: () => import('./migrations-echarts').then((m) => m.echarts) })],
  template: `
    <div class="toolbar">
      @if (detail()?.versions?.length) {
        <label for="mig-version">{{ 'mig.version' | t }}</label>
        <nz-select nzId="mig-version" class="mig-version" [formControl]="versionCtl">
          @for (v of versionsNewestFirst(); track v.id) {
            <nz-option [nzValue]="v.id" [nzLabel]="versionLabel(v)"></nz-option>
          }
        </nz-select>
      } @else if (detail()) {
        <span class="no-version">{{ 'mig.version.none' | t }}</span>
      }
      @if (version(); as v) {
        <nz-tag class="version-status" [nzColor]="versionColor(v.status)">{{ 'mig.version.status.' + v.status | t }}</nz-tag>
        @if (v.whatIf) { <nz-tag class="what-if" nzColor="purple">{{ 'mig.version.whatIf' | t }}</nz-tag> }
      }
      <button nz-button class="refresh" (click)="refresh()">{{ 'mig.refresh' | t }}</button>
      @if (canOperate()) {
        <button nz-button nzType="primary" class="solve" [nzLoading]="actions.busy('solve')" (click)="solve()">{{ 'mig.solve' | t }}</button>
        @if (version()?.status === 'solved' && !version()?.whatIf) {
          <button nz-button class="approve" [nzLoading]="actions.busy('approve')" (click)="approve()">{{ 'mig.approve' | t }}</button>
        }
      }
    </div>
    @if (canOperate() && windows().length) {
      <form class="what-if-form" [formGroup]="whatIfForm" (ngSubmit)="whatIf()">
        <label for="mig-cancel-windows">{{ 'mig.whatIf.cancelWindows' | t }}</label>
        <nz-select nzId="mig-cancel-windows" class="cancel-windows" nzMode="multiple" formControlName="cancelWindows" [nzPlaceHolder]="'mig.whatIf.cancelWindows' | t">
          @for (w of windows(); track w.id; let i = $index) { <nz-option [nzValue]="i" [nzLabel]="w.id + ' · ' + w.weekStart"></nz-option> }
        </nz-select>
        <button nz-button type="submit" class="run-what-if" [nzLoading]="actions.busy('whatIf')">{{ 'mig.whatIf.run' | t }}</button>
      </form>
    }
    @if (notice(); as n) { <p class="notice" role="status">{{ n }}</p> }
    <app-error-alert [error]="error()" />

    @if (version(); as v) {
      @if (v.result; as r) {
        <dl class="figures">
          <div><dt>{{ 'mig.makespan' | t }}</dt><dd class="makespan">{{ r.makespan ?? '—' }}</dd></div>
          <div><dt>{{ 'mig.lowerBound' | t }}</dt><dd class="lower-bound">{{ r.lowerBound }}</dd></div>
          <div><dt>{{ 'mig.gap' | t }}</dt><dd class="gap">@if (gap(); as g) { {{ g | percent: '1.0-1' }} } @else if (r.makespan) { 0% · {{ 'mig.optimal' | t }} } @else { — }</dd></div>
        </dl>
      }
      @if (v.error) { <p class="version-error"><strong>{{ 'mig.versionError' | t }}:</strong> {{ v.error }}</p> }
      @if (explanations().length) {
        <h3>{{ 'mig.explanations' | t }}</h3>
        <ul class="explanations">
          @for (x of explanations(); track $index) {
            <li [attr.data-kind]="x.kind">
              <div class="text">{{ i18n.text(x) }}</div>
              <small>
                @if (x.systems.length) { {{ 'mig.explanation.systems' | t }}: <span class="systems">{{ systemNames(x.systems) }}</span> }
                @if (x.windows.length) { · {{ 'mig.explanation.windows' | t }}: <span class="windows">{{ x.windows.join(', ') }}</span> }
                @if (x.constraint) { · {{ 'mig.explanation.constraint' | t }}: <span class="constraint">{{ x.constraint }}</span> }
              </small>
            </li>
          }
        </ul>
      }
      @if (rows().length) {
        <div class="schedule-chart" echarts [options]="chart()" [autoResize]="true" [style.height.px]="chartHeight()" role="img" [attr.aria-label]="'mig.chart' | t"></div>
        <h3>{{ 'mig.waveRows' | t }}</h3>
        <nz-table #waveTable class="wave-rows" [nzData]="groups()" nzSize="small" [nzFrontPagination]="false">
          <thead><tr><th>{{ 'mig.chart.window' | t }}</th><th>{{ 'mig.weekStart' | t }}</th><th>{{ 'mig.system' | t }}</th></tr></thead>
          <tbody>
            @for (g of waveTable.data; track g.window) {
              <tr [attr.data-window]="g.windowId"><td>{{ g.windowId }}</td><td>{{ g.weekStart }}</td><td>{{ namesOf(g.systems) }}</td></tr>
            }
          </tbody>
        </nz-table>
      }
      <p class="created"><small>{{ v.createdAt | date: 'yyyy-MM-dd HH:mm' }}</small></p>
    }
  `,
  styles: `
    .toolbar, .what-if-form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 12px; }
    .mig-version { min-width: 260px; }
    .cancel-windows { min-width: 320px; }
    .figures { display: flex; gap: 32px; margin: 8px 0 16px; }
    .figures dt { color: rgba(0, 0, 0, 0.65); }
    .figures dd { font-size: 20px; margin: 0; }
    .schedule-chart { width: 100%; min-height: 160px; }
  `,
})
export class ScheduleComponent {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);

  readonly planId = input.required<string>();
  readonly canOperate = input(false);

  protected readonly detail = signal<PlanDetail | null>(null);
  protected readonly version = signal<Version | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly actions = new Actions<'solve' | 'whatIf' | 'approve'>({ error: this.error, clear: () => this.notice.set(null) });
  protected readonly versionCtl = new FormControl<string | null>(null);
  protected readonly whatIfForm = new FormGroup({ cancelWindows: new FormControl<number[]>([], { nonNullable: true }) });
  private poll: ReturnType<typeof setTimeout> | null = null;

  protected readonly versionsNewestFirst = computed(() => [...(this.detail()?.versions ?? [])].sort((a, b) => b.version - a.version));
  protected readonly windows = computed(() => {
    const v = this.version();
    if (v?.windows.length) return v.windows;
    const d = this.detail();
    return d ? planWindows(d.firstWeek, d.weeks) : [];
  });
  protected readonly rows = computed(() => {
    const r = this.version()?.result;
    return r ? scheduleRows(r.assignment, r.placements, this.windows(), this.detail()?.candidates ?? []) : [];
  });
  protected readonly groups = computed(() => waveGroups(this.rows()));
  protected readonly gap = computed(() => {
    const r = this.version()?.result;
    return r ? gapOf(r) : null;
  });
  protected readonly explanations = computed(() => explanationsOf(this.version()?.result?.explanations));
  protected readonly chart = computed(() => {
    const r = this.version()?.result;
    return scheduleOptions(this.rows(), this.windows(), { makespan: r?.makespan ?? null, lowerBound: r?.lowerBound ?? 0 }, {
      makespan: this.i18n.t('mig.makespan'), lowerBound: this.i18n.t('mig.lowerBound'), window: this.i18n.t('mig.chart.window'),
    });
  });
  protected readonly chartHeight = computed(() => Math.min(720, 90 + 22 * Math.min(this.rows().length, 30)));

  constructor() {
    effect(() => {
      const id = this.planId();
      untracked(() => void this.tasks.run(() => this.loadPlan(id, null)));
    });
    this.versionCtl.valueChanges.subscribe((id) => void this.loadVersion(id));
    inject(DestroyRef).onDestroy(() => this.stopPolling());
  }

  protected versionColor(status: string): string {
    return VERSION_COLORS[status] ?? 'default';
  }

  protected versionLabel(v: VersionSummary): string {
    return `${this.i18n.t('mig.version.label', { n: v.version })} · ${this.i18n.t(`mig.version.status.${v.status}`)}${v.whatIf ? ` · ${this.i18n.t('mig.version.whatIf')}` : ''}`;
  }

  protected systemNames(ids: readonly string[]): string {
    const byId = new Map((this.detail()?.candidates ?? []).map((c) => [c.id, c.systemName]));
    return this.i18n.list(ids.map((id) => byId.get(id) ?? id));
  }

  protected namesOf(rows: readonly { name: string }[]): string {
    return this.i18n.list(rows.map((r) => r.name));
  }

  protected refresh(): void {
    void this.loadPlan(this.planId(), this.versionCtl.value);
  }

  protected async solve(): Promise<void> {
    await this.actions.run('solve', async () => {
      const out = await this.api.migrations.plans.solve.mutate({ planId: this.planId() });
      this.notice.set(this.i18n.t('mig.solveStarted', { n: out.version }));
      await this.loadPlan(this.planId(), out.versionId);
    });
  }

  protected async whatIf(): Promise<void> {
    await this.actions.run('whatIf', async () => {
      const out = await this.api.migrations.plans.whatIf.mutate({ planId: this.planId(), cancelWindows: this.whatIfForm.controls.cancelWindows.value, addCandidates: [] });
      this.notice.set(this.i18n.t('mig.solveStarted', { n: out.version }));
      await this.loadPlan(this.planId(), out.versionId);
    });
  }

  protected async approve(): Promise<void> {
    const v = this.version();
    if (!v) return;
    await this.actions.run('approve', async () => {
      await this.api.migrations.plans.approve.mutate({ versionId: v.id });
      this.notice.set(this.i18n.t('mig.approved'));
      await this.loadPlan(this.planId(), v.id);
    });
  }

  private async loadPlan(planId: string, versionId: string | null): Promise<void> {
    try {
      const detail = await this.api.migrations.plans.get.query({ id: planId });
      this.detail.set(detail);
      const chosen = versionId ?? defaultVersion(detail.versions)?.id ?? null;
      if (this.versionCtl.value === chosen) await this.loadVersion(chosen);
      else this.versionCtl.setValue(chosen); // loads it
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }

  private async loadVersion(id: string | null): Promise<void> {
    this.stopPolling();
    if (!id) {
      this.version.set(null);
      return;
    }
    try {
      const v = await this.api.migrations.plans.version.query({ id });
      if (this.versionCtl.value !== id) return; // another version was picked meanwhile
      this.version.set(v);
      // A version being solved: read it again until the solver has answered.
      if (v.status === 'solving') this.poll = setTimeout(() => void this.loadPlan(this.planId(), id), POLL_MS);
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }

  private stopPolling(): void {
    if (this.poll) clearTimeout(this.poll);
    this.poll = null;
  }
}
