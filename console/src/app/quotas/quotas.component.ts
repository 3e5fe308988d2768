import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { NzBreadCrumbModule } from 'ng-zorro-antd/breadcrumb';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { ApiError, toApiError } from '../core/api-error';
import { PagedList } from '../core/paged-list';
import { SessionStore } from '../core/session';
import { MyQuotaComponent } from './my-quota.component';
import { QuotaChangesComponent } from './quota-changes.component';
import { barStatus, byClass } from './quota-format';
import { QuotaNodeComponent } from './quota-node.component';
import type { QuotaDriftLine, QuotaNodeSummary } from './quota-types';
import { QuotasApiService } from './quotas-api.service';
import { LIST_PAGE_IMPORTS } from '../core/list-page';
import { byId, type TableColumn } from '../core/data-table.component';

/**
 * Quotas: the tree (province → city → department → system) with a utilisation bar per class, drilled down
 * level by level and opened into a node's usage and ledger; my quota; change requests; drift after syncs.
 * Department roles see their own departments as the roots (the server scopes every answer the same way).
 */
@Component({
  selector: 'app-quotas',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, DatePipe, NzBreadCrumbModule, NzProgressModule, NzTabsModule, NzTagModule, QuotaNodeComponent, MyQuotaComponent, QuotaChangesComponent],
  templateUrl: './quotas.component.html',
  styleUrl: './quotas.component.css',
})
export class QuotasComponent implements OnInit {
  private readonly api = inject(QuotasApiService);
  private readonly client = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  protected readonly treeColumns: readonly TableColumn[] = ['quotas.name', 'quotas.level', 'quotas.utilisation', ''];
  protected readonly driftColumns: readonly TableColumn[] = [
    'quotas.cloud', 'quotas.ledger.system', 'quotas.drift.tenant', 'quotas.class', 'quotas.drift.recorded',
    'quotas.drift.observed', 'quotas.drift.checkedAt',
  ];
  protected readonly byDrift = (line: QuotaDriftLine): string => line.cloudId + line.systemId + line.resourceClass;
  protected readonly byId = byId;
  protected readonly byClass = byClass;
  protected readonly barStatus = barStatus;
  /** The drill-down path: empty at the roots. */
  protected readonly trail = signal<{ id: string; name: string }[]>([]);
  protected readonly rows = signal<QuotaNodeSummary[]>([]);
  protected readonly selected = signal<string | null>(null);
  /** Drift lines a page at a time (quotas.drift pages by cursor), read again each time the tab opens. */
  protected readonly driftList = new PagedList<QuotaDriftLine>({
    load: (cursor) => this.client.quotas.drift.query({ limit: 50, ...(cursor ? { cursor } : {}) }),
    key: (d) => `${d.cloudId}/${d.systemId}/${d.resourceClass}`,
  });
  protected readonly drift = this.driftList.items;
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly hasDepartment = computed(() => !!this.session.user()?.departmentId);

  ngOnInit(): void {
    void this.tasks.run(() => this.show(null));
  }

  /** Lists the children of `parent` (null: the roots). */
  async show(parent: { id: string; name: string } | null): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.rows.set((await this.api.tree(parent?.id)).items);
      if (!parent) this.trail.set([]);
      else {
        const at = this.trail().findIndex((t) => t.id === parent.id);
        this.trail.set(at >= 0 ? this.trail().slice(0, at + 1) : [...this.trail(), parent]);
      }
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.loading.set(false);
    }
  }

  drillDown(row: QuotaNodeSummary): Promise<void> {
    this.selected.set(row.id);
    return row.children > 0 ? this.show({ id: row.id, name: row.name }) : Promise.resolve();
  }

  open(row: QuotaNodeSummary): void {
    this.selected.set(row.id);
  }

  loadDrift(): Promise<void> {
    return this.driftList.reload();
  }
}
