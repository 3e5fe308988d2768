import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../../core/api-client';
import { Actions } from '../../core/actions';
import { ApiError, toApiError } from '../../core/api-error';
import type { Department, User } from '../../core/api-types';
import { EditDialog } from '../../core/edit-dialog';
import { FilterSelectComponent } from '../../core/filter-select.component';
import { I18nService } from '../../core/i18n/i18n.service';
import { PagedList } from '../../core/paged-list';
import { ResetPasswordDialogComponent } from './reset-password-dialog.component';
import { UserDialogComponent } from './user-dialog.component';
import { LIST_PAGE_IMPORTS } from '../../core/list-page';
import { byId, type TableColumn } from '../../core/data-table.component';

@Component({
  selector: 'app-users',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, ReactiveFormsModule, NzInputModule, NzSelectModule, NzTagModule, FilterSelectComponent, ResetPasswordDialogComponent, UserDialogComponent],
  templateUrl: './users.component.html',
})
export class UsersComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  /** The users, paged by username with the filters below; `error` is the list's or the last action's refusal. */
  private readonly list = new PagedList<User>({
    load: (cursor) => {
      const search = this.searchCtl.value.trim();
      const departmentId = this.departmentCtl.value;
      return this.api.users.list.query({ ...(search ? { search } : {}), ...(departmentId ? { departmentId } : {}), ...(cursor ? { cursor } : {}) });
    },
    key: (u) => u.id,
  });
  protected readonly columns: readonly TableColumn[] = [
    'users.username', 'users.displayName', 'users.department', 'users.roles', 'users.status', 'common.actions',
  ];
  protected readonly byId = byId;
  protected readonly users = this.list.items;
  protected readonly loading = this.list.loading;
  protected readonly next = this.list.hasMore;
  private readonly actionError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.list.error() ?? this.actionError());
  /** Unlocking, by user. */
  protected readonly actions = new Actions({ error: this.actionError });
  protected readonly departments = signal<Department[]>([]);
  protected readonly departmentOptions = computed(() => this.departments().map((d) => ({ value: d.id, label: d.name })));

  /** The text searches on Enter or the button; a department lists again at once. */
  protected readonly searchCtl = new FormControl('', { nonNullable: true });
  protected readonly departmentCtl = new FormControl<string | null>(null);

  protected readonly dialog = new EditDialog<User>();
  protected readonly resetting = signal<User | null>(null);

  constructor() {
    this.departmentCtl.valueChanges.subscribe(() => void this.load());
  }

  ngOnInit(): void {
    void this.tasks.run(() => Promise.all([this.load(), this.loadDepartments()]));
  }

  async load(): Promise<void> {
    this.actionError.set(null);
    await this.list.reload();
  }

  /** The next page with the same filters, after the last user shown. */
  protected async more(): Promise<void> {
    await this.list.more();
  }

  protected saved(user: User): void {
    const wasNew = !this.users().some((u) => u.id === user.id);
    this.list.upsert(user);
    this.message.success(this.i18n.t(wasNew ? 'users.created' : 'common.saved'));
    this.dialog.close();
  }

  protected async unlock(user: User): Promise<void> {
    await this.actions.run(user.id, async () => this.list.upsert(await this.api.users.unlock.mutate({ id: user.id })), { success: 'users.unlocked' });
  }

  private async loadDepartments(): Promise<void> {
    try {
      const result = await this.api.departments.list.query();
      this.departments.set([...result.items].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')));
    } catch (err) {
      this.actionError.set(toApiError(err));
    }
  }
}
