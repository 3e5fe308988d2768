import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, PendingTasks, computed, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import type { ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import type { Subscription } from '../core/streams';
import { centreDisplayName } from './centre-name';
import { ganttOptions, ganttRows } from './run-gantt';

type RunDetail = ApiOutputs['dr']['runs']['get'];
type PlanDetail = ApiOutputs['dr']['plans']['get'];
type PlanStep = PlanDetail['content']['steps'][number];

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'needs-attention']);
const STATUS_COLORS: Record<string, string> = {
  'awaiting-approval': 'gold', running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'default', 'needs-attention': 'red',
  pending: 'default', compensating: 'orange', compensated: 'default', unknown: 'gold', skipped: 'default',
};

/** A manual step waiting for people: its prompt, who has confirmed, how many must. */
export interface Prompt {
  readonly stepKey: string;
  readonly text: string;
  readonly confirmedBy: readonly string[];
  readonly required: number;
  readonly mine: boolean;
}

/**
 * One DR run (issue 11.8): what it is and who started and approved it, the manual steps waiting for
 * confirmation (a real operation needs two different people, 双人复核), the timeline of its steps as a Gantt
 * chart, the step log with attempts and errors, what the cleanup ledger holds, and the report to download.
 * Live while it runs: every progress event over SSE re-reads the run.
 */
@Component({
  selector: 'app-dr-run',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, NgxEchartsDirective, NzButtonModule, NzDescriptionsModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  providers: [provideEchartsCore({ echarts: () => import('./dr-echarts').then((m) => m.echarts) })],
  template: `
    <p><a routerLink="/dr" class="back">← {{ 'dr.title' | t }}</a></p>
    <app-error-alert [error]="error()" />
    @if (run(); as r) {
      <h2 class="run-title">{{ r.groupName }} · {{ 'dr.kind.' + r.kind | t }}
        <nz-tag class="run-status" [nzColor]="color(r.status)">{{ 'dr.run.status.' + r.status | t }}</nz-tag>
        @if (live()) { <nz-tag nzColor="blue" class="live">{{ 'dr.live' | t }}</nz-tag> }
      </h2>
      <nz-descriptions nzSize="small" [nzColumn]="3" nzBordered>
        <nz-descriptions-item [nzTitle]="'dr.from' | t"><span class="source-centre" [title]="r.sourceCentre">{{ centreName(r.sourceCentre) }}</span></nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'dr.to' | t"><span class="target-centre" [title]="r.targetCentre">{{ centreName(r.targetCentre) }}</span></nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'dr.plans' | t">{{ plan()?.name ?? '—' }} @if (r.planVersion) { v{{ r.planVersion }} }</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'dr.startedBy' | t">{{ r.operator }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'dr.run.approver' | t">{{ r.approver ?? '—' }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'dr.run.time' | t">{{ r.startedAt | date: 'yyyy-MM-dd HH:mm:ss' }} – {{ r.finishedAt ? (r.finishedAt | date: 'HH:mm:ss') : '…' }}</nz-descriptions-item>
      </nz-descriptions>

      <div class="run-actions">
        @if (canOperate() && r.status === 'awaiting-approval') {
          <button nz-button nzType="primary" class="approve" [disabled]="r.operatorId === myId()" [nzLoading]="actions.busy('approve')" (click)="approve()">{{ 'dr.run.approve' | t }}</button>
          @if (r.operatorId === myId()) { <small class="second-person">{{ 'dr.run.secondPerson' | t }}</small> }
        }
        @if (canOperate() && (r.status === 'running' || r.status === 'awaiting-approval')) {
          <button nz-button nzDanger class="cancel-run" [nzLoading]="actions.busy('cancel')" (click)="cancel()">{{ 'dr.run.cancel' | t }}</button>
        }
        @if (r.finishedAt) {
          <button nz-button class="report-html" (click)="download('html')">{{ 'dr.run.reportHtml' | t }}</button>
          <button nz-button class="report-pdf" (click)="download('pdf')">{{ 'dr.run.reportPdf' | t }}</button>
          <button nz-button class="report-json" (click)="download('json')">{{ 'dr.run.reportJson' | t }}</button>
        }
      </div>

      @if (prompts().length) {
        <h3>{{ 'dr.run.prompts' | t }}</h3>
        @for (p of prompts(); track p.stepKey) {
          <div class="prompt" [attr.data-step]="p.stepKey">
            <p class="prompt-text">{{ p.text }}</p>
            <small class="prompt-count">{{ 'dr.run.confirmed' | t: { n: p.confirmedBy.length, of: p.required } }} @if (p.confirmedBy.length) { ({{ p.confirmedBy.join(', ') }}) }</small>
            @if (canOperate()) {
              <button nz-button nzType="primary" nzSize="small" class="confirm" [disabled]="p.mine" [nzLoading]="actions.busy(p.stepKey)" (click)="confirm(p.stepKey)">{{ (p.mine ? 'dr.run.youConfirmed' : 'dr.run.confirm') | t }}</button>
            }
          </div>
        }
      }

      <h3>{{ 'dr.run.timeline' | t }}</h3>
      @if (rows().length) {
        <div class="run-gantt" echarts [options]="gantt()" [autoResize]="true" [style.height.px]="ganttHeight()" role="img" [attr.aria-label]="'dr.run.timeline' | t"></div>
      } @else {
        <p class="no-steps">{{ 'dr.run.notStarted' | t }}</p>
      }

      <h3>{{ 'dr.run.steps' | t }}</h3>
      <nz-table #stepTable class="run-steps" [nzData]="r.steps" nzSize="small" [nzFrontPagination]="false">
        <thead><tr><th>{{ 'dr.plan.step' | t }}</th><th>{{ 'dr.status' | t }}</th><th>{{ 'dr.run.attempts' | t }}</th><th>{{ 'dr.run.started' | t }}</th><th>{{ 'dr.run.seconds' | t }}</th><th>{{ 'dr.run.error' | t }}</th></tr></thead>
        <tbody>
          @for (s of stepTable.data; track s.key) {
            <tr [attr.data-step]="s.key">
              <td class="step-label" [title]="s.key">{{ label(s.key) }}</td>
              <td><nz-tag [nzColor]="color(s.status)">{{ 'dr.step.' + s.status | t }}</nz-tag></td>
              <td>{{ s.attempts }}/{{ s.maxAttempts }}</td>
              <td>{{ s.startedAt ? (s.startedAt | date: 'HH:mm:ss') : '—' }}</td>
              <td>{{ seconds(s) }}</td>
              <td class="step-error">{{ s.attention || s.error || '' }}</td>
            </tr>
          }
        </tbody>
      </nz-table>

      @if (r.ledger.length) {
        <h3>{{ 'dr.run.ledger' | t }}</h3>
        <nz-table #ledgerTable class="run-ledger" [nzData]="r.ledger" nzSize="small" [nzFrontPagination]="false">
          <thead><tr><th>{{ 'dr.run.object' | t }}</th><th>{{ 'dr.status' | t }}</th></tr></thead>
          <tbody>
            @for (o of ledgerTable.data; track o.sandbox) {
              <tr><td class="ledger-object" [title]="o.sandbox + ' · ' + o.cloudId + '/' + o.zone">{{ systemName(o.systemId) ?? o.sandbox }} · {{ centreName(o.cloudId + '/' + o.zone) }}</td><td>{{ o.removedAt ? ('dr.run.removed' | t: { at: (o.removedAt | date: 'HH:mm:ss') ?? '' }) : ('dr.run.present' | t) }}</td></tr>
            }
          </tbody>
        </nz-table>
      }
    }
  `,
  styles: `
    .run-actions { display: flex; gap: 8px; align-items: center; margin: 12px 0; }
    .prompt { border: 1px solid #d97706; padding: 8px 12px; margin-bottom: 8px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
    .prompt-text { margin: 0; flex: 1 1 300px; }
    .run-gantt { border: 1px solid #e5e7eb; }
  `,
})
export class DrRunComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);
  private readonly i18n = inject(I18nService);

  /** From the route (`/dr/runs/:id`). */
  readonly id = input.required<string>();

  protected readonly run = signal<RunDetail | null>(null);
  protected readonly plan = signal<PlanDetail | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  /** Approve, cancel and each step's confirmation; the run is read again after each. */
  protected readonly actions = new Actions({ error: this.error, reload: () => this.load() });
  protected readonly live = signal(false);
  protected readonly canOperate = computed(() => this.session.hasAnyRole(['admin', 'cloud-operator']));
  protected readonly myId = computed(() => this.session.user()?.id ?? null);
  private readonly now = signal(Date.now());
  private subscription: Subscription | null = null;
  private reloading: Promise<void> | null = null;

  private readonly stepsByKey = computed(() => new Map((this.run()?.steps ?? []).map((s) => [s.key, s])));
  private readonly stepsById = computed(() => new Map((this.plan()?.content.steps ?? []).map((s) => [s.id, s])));

  protected readonly prompts = computed<Prompt[]>(() => {
    const r = this.run();
    if (!r) return [];
    const required = r.kind === 'drill' || r.kind === 'reprotect' ? 1 : 2;
    return r.steps
      .filter((s) => s.status === 'running')
      .flatMap((s) => {
        const step = this.planStep(s.key);
        if (step?.kind !== 'manual') return [];
        const mine = r.confirmations.filter((c) => c.stepKey === s.key);
        return [{
          stepKey: s.key,
          text: this.i18n.text(step.prompt),
          confirmedBy: mine.map((c) => c.username),
          required,
          mine: mine.some((c) => c.userId === this.myId()),
        }];
      });
  });

  protected readonly rows = computed(() => ganttRows(this.run()?.steps ?? [], this.now(), (k) => this.label(k)));
  private readonly secondsByKey = computed(() => new Map(this.rows().map((r) => [r.key, r.seconds])));
  protected readonly gantt = computed(() => ganttOptions(this.rows(), (s) => this.i18n.t(`dr.step.${s}`)));
  protected readonly ganttHeight = computed(() => Math.min(600, 60 + 22 * this.rows().length));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  ngOnInit(): void {
    void this.tasks.run(async () => {
      await this.load();
      const r = this.run();
      if (r && !FINAL.has(r.status)) this.follow(r.id);
    });
  }

  protected color(status: string): string {
    return STATUS_COLORS[status] ?? 'default';
  }

  /**
   * A step's name for people, in their language (issue 18.2), as the server names it for the run page and the
   * report alike (control-plane dr/run-view.ts stepName: plan steps by the plan's title, the run's own steps from
   * its centres and the step's system); the key stays on hover. A step the server has no name for shows its key.
   */
  protected label(key: string): string {
    const name = this.stepsByKey().get(key)?.name;
    if (!name) return key;
    return this.i18n.text(name);
  }

  /** A centre's name in the reader's language (the run carries both of its centres), its id when unknown. */
  protected centreName(id: string): string {
    const c = [this.run()?.source, this.run()?.target].find((x) => x?.id === id);
    if (!c) return id;
    return centreDisplayName(c, this.i18n) || id;
  }

  /** A system's name from the steps that act on it (a ledger row names only its id). */
  protected systemName(id: string): string | null {
    return this.run()?.steps.find((s) => s.systemId === id)?.systemName ?? null;
  }

  /** A step's seconds as the timeline draws them (to now while it runs); — before it started. */
  protected seconds(s: RunDetail['steps'][number]): string {
    return this.secondsByKey().get(s.key)?.toFixed(1) ?? '—';
  }

  protected async approve(): Promise<void> {
    await this.actions.run('approve', () => this.api.dr.runs.approve.mutate({ id: this.id() }));
    const r = this.run();
    if (r && !FINAL.has(r.status)) this.follow(r.id);
  }

  protected async cancel(): Promise<void> {
    await this.actions.run('cancel', () => this.api.dr.runs.cancel.mutate({ id: this.id() }));
  }

  protected async confirm(stepKey: string): Promise<void> {
    await this.actions.run(stepKey, () => this.api.dr.runs.confirm.mutate({ id: this.id(), stepKey }));
  }

  /** The report as a file: HTML or PDF to file and print, JSON for other tools. Its digest is in the audit chain. */
  protected async download(format: 'html' | 'pdf' | 'json'): Promise<void> {
    try {
      const r = await this.api.dr.runs.report.query({ id: this.id(), format });
      const body = format === 'html' ? (r.html ?? '')
        : format === 'pdf' ? Uint8Array.from(atob(r.pdfBase64 ?? ''), (c) => c.charCodeAt(0))
        : JSON.stringify({ digest: r.digest, verified: r.verified, final: r.final, report: r.report }, null, 2);
      const url = URL.createObjectURL(new Blob([body], { type: { html: 'text/html', pdf: 'application/pdf', json: 'application/json' }[format] }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `dr-report-${this.id()}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }

  private planStep(key: string): PlanStep | undefined {
    return key.startsWith('step:') ? this.stepsById().get(key.slice(5)) : undefined;
  }

  /** Each progress event re-reads the run (one read in flight at a time; the last event always gets one). */
  private follow(runId: string): void {
    this.subscription?.unsubscribe();
    let again = false;
    const reload = () => {
      if (this.reloading) {
        again = true;
        return;
      }
      this.reloading = this.load().finally(() => {
        this.reloading = null;
        if (again) {
          again = false;
          reload();
        }
      });
    };
    this.subscription = this.api.dr.runs.onProgress.subscribe({ id: runId, afterSeq: 0 }, {
      onStarted: () => this.live.set(true),
      onData: (event) => {
        this.now.set(Date.now());
        reload();
        if (/^workflow\.(succeeded|failed|cancelled|needs-attention)$/.test(event.kind)) this.live.set(false);
      },
      onError: () => this.live.set(false),
    });
  }

  private async load(): Promise<void> {
    try {
      const r = await this.api.dr.runs.get.query({ id: this.id() });
      this.now.set(Date.now());
      this.run.set(r);
      if (r.planId && (this.plan()?.id !== r.planId || this.plan()?.version !== r.planVersion)) {
        this.plan.set(await this.api.dr.plans.get.query({ id: r.planId, ...(r.planVersion ? { version: r.planVersion } : {}) }));
      }
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }
}
