import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { toApiError, type ApiError } from '../core/api-error';
import type { ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PagedList } from '../core/paged-list';
import { SessionStore } from '../core/session';
import { ChangeDialogComponent, type ChangeAction, type Resource } from './change-dialog.component';
import { IdleResourcesComponent } from './idle-resources.component';
import { percentDone } from '../workflows/progress';
import { ResourceNoticesComponent } from './resource-notices.component';

type Detail = ApiOutputs['resources']['get'];
type Kind = Resource['kind'];
const PAGE_SIZE = 50;

/**
 * The department's resources (province-wide roles: all), newest first and paged on the server; a resource's
 * detail with its addresses and history (the request that created it and each change, with its workflow's
 * steps and progress); resize and release as change requests through the approval chain.
 */
@Component({
  selector: 'app-resources',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, RouterLink, NzAlertModule, NzButtonModule, NzProgressModule, NzSelectModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe, ChangeDialogComponent, IdleResourcesComponent, ResourceNoticesComponent],
  templateUrl: './resources.component.html',
})
export class ResourcesComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  /** A change's workflow progress, as the workflows pages show it. */
  protected readonly percentDone = percentDone;
  protected readonly kinds: readonly Kind[] = ['host', 'volume', 'workload', 'segment'];
  /** The kind filter: a choice reads the list again from its first page. */
  protected readonly kindCtl = new FormControl<Kind | null>(null);
  protected readonly list = new PagedList<Resource>({
    load: (cursor) => this.api.resources.list.query({ limit: PAGE_SIZE, ...(this.kindCtl.value ? { kind: this.kindCtl.value } : {}), ...(cursor !== undefined ? { cursor } : {}) }),
    key: (r) => r.id,
  });

  protected readonly detail = signal<Detail | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly dialog = signal<ChangeAction | null>(null);
  /** Only the department's requesters ask for changes; operators and auditors read. */
  protected readonly canChange = () => this.session.hasAnyRole(['admin', 'department-admin', 'department-user']);
  /** Idle resources are the operators' view (reclamation candidates across departments). */
  protected readonly canSeeIdle = () => this.session.hasAnyRole(['admin', 'cloud-operator']);

  ngOnInit(): void {
    void this.tasks.run(() => this.list.reload());
  }

  constructor() {
    this.kindCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => void this.list.reload());
  }

  protected async open(id: string): Promise<void> {
    this.error.set(null);
    try {
      this.detail.set(await this.api.resources.get.query({ id }));
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  /** A change was submitted: say so, and show the request in the resource's history. */
  protected async submitted(): Promise<void> {
    this.dialog.set(null);
    this.notice.set('resources.submitted');
    const d = this.detail();
    if (d) await this.open(d.id);
  }

  protected size(r: Resource): string {
    const s = r.spec as Record<string, unknown>;
    switch (r.kind) {
      case 'host': return `${String(s['flavour'])} · ${String(s['systemDiskGiB'])} GiB`;
      case 'workload': return `${String(s['size'])} × ${String(s['replicas'])}`;
      case 'volume': return `${String(s['sizeGiB'])} GiB`;
      case 'segment': return `/${String(s['ipv4Length'])}${s['dualStack'] ? ' + /64' : ''}`;
    }
  }

}
