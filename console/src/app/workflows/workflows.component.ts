import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { API } from '../core/api-client';
import { liveRefresh } from '../core/live-refresh';
import { Loaded } from '../core/loaded';
import type { Workflow, WorkflowStatus } from '../core/api-types';
import { FilterSelectComponent } from '../core/filter-select.component';
import { WorkflowKindPipe, WorkflowTitlePipe } from '../core/workflow-title';
import { isFinal, percentDone, progressStatus, statusColor } from './progress';
import { LIST_PAGE_IMPORTS } from '../core/list-page';
import { byId, type TableColumn } from '../core/data-table.component';

const LIMIT = 100;
/** While something runs, the list re-reads itself this often (each detail page streams live). */
const POLL_MS = 5_000;

@Component({
  selector: 'app-workflows',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, DatePipe, ReactiveFormsModule, RouterLink, NzBadgeModule, NzProgressModule, NzSelectModule, FilterSelectComponent, WorkflowKindPipe, WorkflowTitlePipe],
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
  protected readonly columns: readonly TableColumn[] = [
    'workflows.titleCol', 'workflows.kind', 'workflows.status', { title: 'workflows.progress', width: '240px' },
    'workflows.createdAt', 'workflows.finishedAt',
  ];
  protected readonly byId = byId;
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
