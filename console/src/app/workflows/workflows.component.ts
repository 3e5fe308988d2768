import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  OnInit,
  PendingTasks,
  inject,
  signal,
} from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { API } from '../core/api-client';
import { ApiError, toApiError } from '../core/api-error';
import type { Workflow, WorkflowStatus } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { isFinal, percentDone, progressStatus, statusColor } from './progress';

const LIMIT = 100;
/** While something runs, the list re-reads itself this often (each detail page streams live). */
const POLL_MS = 5_000;

@Component({
  selector: 'app-workflows',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    FormsModule,
    RouterLink,
    NzBadgeModule,
    NzButtonModule,
    NzIconModule,
    NzProgressModule,
    NzSelectModule,
    NzTableModule,
    ErrorAlertComponent,
    TranslatePipe,
  ],
  templateUrl: './workflows.component.html',
})
export class WorkflowsComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);

  protected readonly statuses: readonly WorkflowStatus[] = [
    'running',
    'paused',
    'succeeded',
    'failed',
    'compensating',
    'cancelling',
    'cancelled',
    'needs-attention',
  ];
  protected readonly percentDone = percentDone;
  protected readonly statusColor = statusColor;
  protected readonly progressStatus = progressStatus;

  protected readonly status = signal<WorkflowStatus | null>(null);
  protected readonly workflows = signal<Workflow[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);

  constructor() {
    const timer = setInterval(() => {
      if (!this.loading() && this.workflows().some((w) => !isFinal(w.status))) void this.load(true);
    }, POLL_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(quiet = false): Promise<void> {
    if (!quiet) this.loading.set(true);
    this.error.set(null);
    try {
      const status = this.status();
      const result = await this.api.workflows.list.query({ ...(status ? { status } : {}), limit: LIMIT });
      this.workflows.set(result.items);
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.loading.set(false);
    }
  }

  protected filterStatus(status: WorkflowStatus | null): void {
    this.status.set(status);
    void this.load();
  }
}
