import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  PendingTasks,
  inject,
} from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { API } from '../core/api-client';
import { liveRefresh } from '../core/live-refresh';
import { Loaded } from '../core/loaded';
import type { Workflow, WorkflowStatus } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FilterSelectComponent } from '../core/filter-select.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { WorkflowKindPipe, WorkflowTitlePipe } from '../core/workflow-title';
import { isFinal, percentDone, progressStatus, statusColor } from './progress';

const LIMIT = 100;
/** While something runs, the list re-reads itself this often (each detail page streams live). */
const POLL_MS = 5_000;

@Component({
  selector: 'app-workflows',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    NzBadgeModule,
    NzButtonModule,
    NzIconModule,
    NzProgressModule,
    NzSelectModule,
    NzTableModule,
    ErrorAlertComponent,
    FilterSelectComponent,
    TranslatePipe,
    WorkflowKindPipe,
    WorkflowTitlePipe,
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

  /** The status filter: a change lists again at once. */
  protected readonly statusCtl = new FormControl<WorkflowStatus | null>(null);
  private readonly list = new Loaded(async () => {
    const status = this.statusCtl.value;
    return (await this.api.workflows.list.query({ ...(status ? { status } : {}), limit: LIMIT })).items;
  }, [] as Workflow[]);
  protected readonly workflows = this.list.value;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;

  constructor() {
    this.statusCtl.valueChanges.subscribe(() => void this.load());
    // Only a list with a workflow still moving is read again.
    liveRefresh(POLL_MS, async () => {
      if (this.workflows().some((w) => !isFinal(w.status))) await this.load(true);
    });
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(quiet = false): Promise<void> {
    await this.list.load({ quiet });
  }
}
