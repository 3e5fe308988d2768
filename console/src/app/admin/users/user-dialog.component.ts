import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzSwitchModule } from 'ng-zorro-antd/switch';
import { ApiService } from '../../core/api';
import { ApiError, checkForm, formError } from '../../core/api-error';
import { ALL_ROLES, Department, Role, User } from '../../core/api-types';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { FieldErrorPipe } from '../../core/field-error.pipe';
import { TranslatePipe } from '../../core/i18n/t.pipe';

/** Create (user = null) or edit one user. Emits the server's copy of the user when saved. */
@Component({
  selector: 'app-user-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    NzButtonModule,
    NzFormModule,
    NzInputModule,
    NzModalModule,
    NzSelectModule,
    NzSwitchModule,
    ErrorAlertComponent,
    FieldErrorPipe,
    TranslatePipe,
  ],
  templateUrl: './user-dialog.component.html',
})
export class UserDialogComponent {
  private readonly api = inject(ApiService);

  readonly open = input.required<boolean>();
  readonly user = input<User | null>(null);
  readonly departments = input.required<Department[]>();
  readonly saved = output<User>();
  readonly closed = output<void>();

  protected readonly roles = ALL_ROLES;
  protected readonly isEdit = computed(() => this.user() !== null);
  protected readonly saving = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly extraErrors = signal<string[]>([]);

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    displayName: ['', Validators.required],
    password: ['', Validators.required],
    departmentId: [null as string | null],
    roles: [[] as Role[]],
    disabled: [false],
  });

  constructor() {
    effect(() => {
      const open = this.open();
      const user = this.user();
      if (open) untracked(() => this.reset(user));
    });
  }

  protected async submit(): Promise<void> {
    if (this.saving() || !checkForm(this.form)) return;
    this.saving.set(true);
    this.error.set(null);
    this.extraErrors.set([]);
    try {
      const v = this.form.getRawValue();
      const current = this.user();
      const result = current
        ? await this.api.updateUser({
            id: current.id,
            displayName: v.displayName,
            departmentId: v.departmentId,
            roles: v.roles,
            disabled: v.disabled,
          })
        : await this.api.createUser({
            username: v.username.trim(),
            displayName: v.displayName,
            password: v.password,
            departmentId: v.departmentId,
            roles: v.roles,
          });
      this.saved.emit(result);
    } catch (err) {
      const { error, extra } = formError(this.form, err);
      this.error.set(error);
      this.extraErrors.set(extra);
    } finally {
      this.saving.set(false);
    }
  }

  /** Username and password are set at creation only; editing changes the rest. */
  private reset(user: User | null): void {
    this.error.set(null);
    this.extraErrors.set([]);
    this.form.reset({
      username: user?.username ?? '',
      displayName: user?.displayName ?? '',
      password: '',
      departmentId: user?.departmentId ?? null,
      roles: user ? [...user.roles] : [],
      disabled: user?.disabled ?? false,
    });
    const { username, password } = this.form.controls;
    if (user) {
      username.disable();
      password.disable();
    } else {
      username.enable();
      password.enable();
    }
  }
}
