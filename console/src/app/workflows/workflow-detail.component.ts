import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, PendingTasks, computed, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzPopconfirmModule } from 'ng-zorro-antd/popconfirm';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import type { Subscription } from '../core/streams';
import { Actions } from '../core/actions';
import type { ApiError } from '../core/api-error';
import type { WorkflowDetail } from '../core/api-types';
import { Loaded } from '../core/loaded';
import { durationText } from '../core/duration';
import { I18nService } from '../core/i18n/i18n.service';
import { WorkflowKindPipe, WorkflowTitlePipe } from '../core/workflow-title';
import { SessionStore } from '../core/session';
import { applyProgress, isFinal, percentDone, progressStatus, statusColor, stepColor } from './progress';
import { LIST_PAGE_IMPORTS } from '../core/list-page';
import { type TableColumn } from '../core/data-table.component';

/** Roles that may pause, resume and cancel (the server checks the same). */
const STEERERS = ['admin', 'cloud-operator'] as const;

@Component({
  selector: 'app-workflow-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, DatePipe, RouterLink, NzAlertModule, NzBadgeModule, NzDescriptionsModule, NzPopconfirmModule, NzProgressModule, NzTagModule, WorkflowKindPipe, WorkflowTitlePipe],
  templateUrl: './workflow-detail.component.html',
})
export class WorkflowDetailComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);
  private readonly i18n = inject(I18nService);

  /** From the route (`/workflows/:id`). */
  readonly id = input.required<string>();

  protected readonly stepColumns: readonly TableColumn[] = [
    'workflows.step.key', 'workflows.step.action', 'workflows.step.status', 'workflows.step.attempts',
    'workflows.step.startedAt', 'workflows.step.duration', 'workflows.step.error',
  ];
// track was: None
  protected readonly byKey = (step: { key: string }): string => step.key;
  protected readonly percentDone = percentDone;
  protected readonly statusColor = statusColor;
  protected readonly progressStatus = progressStatus;
  protected readonly stepColor = stepColor;

  private readonly record = new Loaded(() => this.api.workflows.get.query({ id: this.id() }), null as WorkflowDetail | null);
  protected readonly workflow = this.record.value;
  protected readonly loading = this.record.loading;
  /** The workflow's refusal, or a steering action's. */
  private readonly actionError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.record.error() ?? this.actionError());
  protected readonly actions = new Actions<'pause' | 'resume' | 'cancel'>({ error: this.actionError });
  protected readonly live = signal(false);

  protected readonly canSteer = computed(() => this.session.hasAnyRole(STEERERS));
  protected readonly final = computed(() => {
    const w = this.workflow();
    return w ? isFinal(w.status) : true;
  });

  private subscription: Subscription | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.unsubscribe());
  }

  ngOnInit(): void {
    void this.tasks.run(async () => {
      await this.load();
      this.follow();
    });
  }

  async load(): Promise<void> {
    this.actionError.set(null);
    await this.record.load();
  }

  protected async steer(op: 'pause' | 'resume' | 'cancel'): Promise<void> {
    await this.actions.run(op, async () => {
      const after = await this.api.workflows[op].mutate({ id: this.id() });
      // The mutation answers with the workflow row; steps keep what the stream told us.
      this.workflow.update((w) => (w ? { ...w, ...after, steps: w.steps } : w));
      if (op === 'resume') this.follow();
    });
  }

  protected duration(from: string | null, to: string | null): string {
    return durationText(from, to, this.i18n);
  }

  /**
   * Streams progress from the first event: replaying over the snapshot converges on the same
   * state (see applyProgress), and get() carries no event sequence to start after.
   */
  private follow(): void {
    const w = this.workflow();
    if (!w || isFinal(w.status) || this.subscription) return;
    this.subscription = this.api.workflows.onProgress.subscribe({ id: w.id, afterSeq: 0 }, {
      onStarted: () => this.live.set(true),
      onData: (event) => {
        this.live.set(true);
        this.workflow.update((current) => (current ? applyProgress(current, event) : current));
        if (/^workflow\.(succeeded|failed|cancelled)$/.test(event.kind)) {
          // The server ends the stream here; read the final outputs and timings once.
          this.unsubscribe();
          void this.load();
        }
      },
      onError: () => this.live.set(false),
    });
  }

  private unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.live.set(false);
  }
}
