import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  PendingTasks,
  inject,
  signal,
} from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../../core/api-client';
import { ApiError, toApiError } from '../../core/api-error';
import type { Department, User } from '../../core/api-types';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { ResetPasswordDialogComponent } from './reset-password-dialog.component';
import { UserDialogComponent } from './user-dialog.component';

@Component({
  selector: 'app-users',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    NzButtonModule,
    NzIconModule,
    NzInputModule,
    NzSelectModule,
    NzTableModule,
    NzTagModule,
    ErrorAlertComponent,
    ResetPasswordDialogComponent,
    TranslatePipe,
    UserDialogComponent,
  ],
  templateUrl: './users.component.html',
})
export class UsersComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  protected readonly users = signal<User[]>([]);
  /** Where the next page starts (the server pages users by username); null when all are shown. */
  protected readonly next = signal<string | null>(null);
  protected readonly departments = signal<Department[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);

  /** The text searches on Enter or the button; a department lists again at once. */
  protected readonly searchCtl = new FormControl('', { nonNullable: true });
  protected readonly departmentCtl = new FormControl<string | null>(null);

  /** The user dialog: closed, creating (null user) or editing. */
  protected readonly dialogOpen = signal(false);
  protected readonly editing = signal<User | null>(null);
  protected readonly resetting = signal<User | null>(null);

  constructor() {
    this.departmentCtl.valueChanges.subscribe(() => void this.load());
  }

  ngOnInit(): void {
    void this.tasks.run(() => Promise.all([this.load(), this.loadDepartments()]));
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const search = this.searchCtl.value.trim();
      const departmentId = this.departmentCtl.value;
      const result = await this.api.users.list.query({
        ...(search ? { search } : {}),
        ...(departmentId ? { departmentId } : {}),
      });
      this.users.set(result.items);
      this.next.set(result.nextCursor);
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.loading.set(false);
    }
  }

  /** The next page with the same filters, after the last user shown. */
  protected async more(): Promise<void> {
    const cursor = this.next();
    if (!cursor || this.loading()) return;
    this.loading.set(true);
    try {
      const search = this.searchCtl.value.trim();
      const departmentId = this.departmentCtl.value;
      const result = await this.api.users.list.query({ ...(search ? { search } : {}), ...(departmentId ? { departmentId } : {}), cursor });
      this.users.update((list) => [...list, ...result.items.filter((u) => !list.some((x) => x.id === u.id))]);
      this.next.set(result.nextCursor);
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.loading.set(false);
    }
  }

  protected openCreate(): void {
    this.editing.set(null);
    this.dialogOpen.set(true);
  }

  protected openEdit(user: User): void {
    this.editing.set(user);
    this.dialogOpen.set(true);
  }

  protected saved(user: User): void {
    const wasNew = !this.users().some((u) => u.id === user.id);
    this.users.update((list) => (wasNew ? [user, ...list] : list.map((u) => (u.id === user.id ? user : u))));
    this.message.success(this.i18n.t(wasNew ? 'users.created' : 'common.saved'));
    this.dialogOpen.set(false);
  }

  protected async unlock(user: User): Promise<void> {
    this.error.set(null);
    try {
      const updated = await this.api.users.unlock.mutate({ id: user.id });
      this.users.update((list) => list.map((u) => (u.id === updated.id ? updated : u)));
      this.message.success(this.i18n.t('users.unlocked'));
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  private async loadDepartments(): Promise<void> {
    try {
      const result = await this.api.departments.list.query();
      this.departments.set([...result.items].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')));
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
