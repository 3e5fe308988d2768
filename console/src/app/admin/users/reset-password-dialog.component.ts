import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { API } from '../../core/api-client';
import { FormSubmission } from '../../core/form-submission';
import type { User } from '../../core/api-types';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { FieldErrorPipe } from '../../core/field-error.pipe';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';

/** Open while `user` is set. The server marks the account so the user must change it at next login. */
@Component({
  selector: 'app-reset-password-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    NzButtonModule,
    NzFormModule,
    NzInputModule,
    NzModalModule,
    ErrorAlertComponent,
    FieldErrorPipe,
    TranslatePipe,
  ],
  template: `
    <nz-modal
      [nzVisible]="user() !== null"
      [nzTitle]="'users.resetFor' | t: { name: user()?.displayName ?? '' }"
      [nzMaskClosable]="false"
      (nzOnCancel)="closed.emit()"
    >
      <ng-container *nzModalContent>
        <app-error-alert [error]="error()" [extra]="extraErrors()" />
        <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()">
          <nz-form-item>
            <nz-form-label nzRequired>{{ 'password.new' | t }}</nz-form-label>
            <nz-form-control [nzErrorTip]="tip" data-field="newPassword">
              <input nz-input type="password" formControlName="newPassword" autocomplete="new-password" />
            </nz-form-control>
          </nz-form-item>
          <button type="submit" hidden></button>
        </form>
      </ng-container>
      <ng-container *nzModalFooter>
        <button nz-button type="button" (click)="closed.emit()">{{ 'common.cancel' | t }}</button>
        <button nz-button nzType="primary" type="button" [nzLoading]="saving()" (click)="submit()">
          {{ 'users.resetPassword' | t }}
        </button>
      </ng-container>
    </nz-modal>
    <ng-template #tip let-control>{{ control | fieldError }}</ng-template>
  `,
})
export class ResetPasswordDialogComponent {
  private readonly api = inject(API);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  readonly user = input<User | null>(null);
  readonly closed = output<void>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    newPassword: ['', Validators.required],
  });
  protected readonly submission = new FormSubmission(this.form);
  protected readonly saving = this.submission.saving;
  protected readonly error = this.submission.error;
  protected readonly extraErrors = this.submission.extraErrors;

  constructor() {
    effect(() => {
      if (this.user()) {
        untracked(() => {
          this.form.reset();
          this.submission.clear();
        });
      }
    });
  }

  protected async submit(): Promise<void> {
    const user = this.user();
    if (!user) return;
    const sent = await this.submission.run(async () => {
      await this.api.users.resetPassword.mutate({ id: user.id, newPassword: this.form.getRawValue().newPassword });
      return true;
    });
    if (!sent) return;
    this.message.success(this.i18n.t('users.passwordReset'));
    this.closed.emit();
  }
}
