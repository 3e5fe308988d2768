import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzPopconfirmModule } from 'ng-zorro-antd/popconfirm';
import { API } from '../../core/api-client';
import { Actions } from '../../core/actions';
import { ApiError, toApiError } from '../../core/api-error';
import type { Department, Division } from '../../core/api-types';
import { EditDialog } from '../../core/edit-dialog';
import { I18nService } from '../../core/i18n/i18n.service';
import { Loaded } from '../../core/loaded';
import { DepartmentDialogComponent } from './department-dialog.component';
import { divisionGroups, treeRows } from './department-tree';
import { LIST_PAGE_IMPORTS } from '../../core/list-page';
import { type TableColumn } from '../../core/data-table.component';

@Component({
  selector: 'app-departments',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, NzPopconfirmModule, DepartmentDialogComponent],
  templateUrl: './departments.component.html',
})
export class DepartmentsComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly message = inject(NzMessageService);
  protected readonly columns: readonly TableColumn[] = [
    'departments.name', 'departments.creditCode', 'departments.parent', 'departments.division', 'common.actions',
  ];
  protected readonly byDepartment = (row: { dept: { id: string } }): string => row.dept.id;
  protected readonly i18n = inject(I18nService);

  private readonly list = new Loaded(async () => (await this.api.departments.list.query()).items, [] as Department[]);
  protected readonly departments = this.list.value;
  protected readonly rows = computed(() => treeRows(this.departments()));
  private readonly divisions = signal<Division[]>([]);
  protected readonly divisionGroups = computed(() => divisionGroups(this.divisions()));
  protected readonly loading = this.list.loading;
  /** The list's refusal, or the last action's (a delete, the divisions). */
  private readonly actionError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.list.error() ?? this.actionError());
  /** Deleting, by department. */
  protected readonly actions = new Actions({ error: this.actionError });

  protected readonly dialog = new EditDialog<Department>();

  ngOnInit(): void {
    void this.tasks.run(() => Promise.all([this.load(), this.loadDivisions()]));
  }

  async load(): Promise<void> {
    this.actionError.set(null);
    await this.list.load();
  }

  protected saved(dept: Department): void {
    const wasNew = !this.departments().some((d) => d.id === dept.id);
    this.dialog.close();
    this.message.success(this.i18n.t(wasNew ? 'departments.created' : 'common.saved'));
    // Reload: a rename or a new parent changes other rows' parentName too.
    void this.load();
  }

  protected async remove(dept: Department): Promise<void> {
    await this.actions.run(dept.id, async () => {
      await this.api.departments.delete.mutate({ id: dept.id });
      this.departments.update((list) => list.filter((d) => d.id !== dept.id));
    }, { success: 'departments.deleted' });
  }

  /** The province, cities and counties are enough to place a department; townships are not offered. */
  private async loadDivisions(): Promise<void> {
    try {
      const levels = ['province', 'city', 'county'] as const;
      const results = await Promise.all(levels.map((level) => this.api.divisions.list.query({ level })));
      this.divisions.set(results.flatMap((r) => r.items));
    } catch (err) {
      this.actionError.set(toApiError(err));
    }
  }
}
