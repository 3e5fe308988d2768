import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzSwitchModule } from 'ng-zorro-antd/switch';
import { API } from '../../core/api-client';
import { FormSubmission } from '../../core/form-submission';
import { ALL_ROLES, Department, Role, User } from '../../core/api-types';
import { EditDialogBase } from '../../core/edit-dialog';
import { FORM_DIALOG_IMPORTS } from '../../core/form-dialog.component';

/** Create (record = null) or edit one user. Emits the server's copy of the user when saved. */
@Component({
  selector: 'app-user-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FORM_DIALOG_IMPORTS, NzSelectModule, NzSwitchModule],
  templateUrl: './user-dialog.component.html',
})
export class UserDialogComponent extends EditDialogBase<User> {
  private readonly api = inject(API);

  readonly departments = input.required<Department[]>();

  protected readonly roles = ALL_ROLES;

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    displayName: ['', Validators.required],
    password: ['', Validators.required],
    departmentId: [null as string | null],
    roles: [[] as Role[]],
    disabled: [false],
  });
  protected readonly submission = new FormSubmission(this.form);

  protected async submit(): Promise<void> {
    const result = await this.submission.run(() => {
      const v = this.form.getRawValue();
      const current = this.record();
      return current
        ? this.api.users.update.mutate({
            id: current.id,
            displayName: v.displayName,
            departmentId: v.departmentId,
            roles: v.roles,
            disabled: v.disabled,
          })
        : this.api.users.create.mutate({
            username: v.username.trim(),
            displayName: v.displayName,
            password: v.password,
            departmentId: v.departmentId,
            roles: v.roles,
          });
    });
    if (result) this.saved.emit(result);
  }

  /** Username and password are set at creation only; editing changes the rest. */
  protected reset(user: User | null): void {
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
