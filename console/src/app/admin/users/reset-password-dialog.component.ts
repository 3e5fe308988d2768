import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { NzMessageService } from 'ng-zorro-antd/message';
import { API } from '../../core/api-client';
import { FormSubmission } from '../../core/form-submission';
import type { User } from '../../core/api-types';
import { FORM_DIALOG_IMPORTS } from '../../core/form-dialog.component';
import { I18nService } from '../../core/i18n/i18n.service';

/** Open while `user` is set. The server marks the account so the user must change it at next login. */
@Component({
  selector: 'app-reset-password-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FORM_DIALOG_IMPORTS],
  template: `
    <app-form-dialog
      [open]="user() !== null"
      [title]="'users.resetFor' | t: { name: user()?.displayName ?? '' }"
      [submission]="submission"
      [initial]="{ newPassword: '' }"
      [saveLabel]="'users.resetPassword' | t"
      width="520px"
      layout="vertical"
      (save)="submit()"
      (closed)="closed.emit()"
    >
      <ng-container [formGroup]="form">
        <app-field label="password.new" for="reset-new-password" required>
          <input nz-input id="reset-new-password" type="password" formControlName="newPassword" autocomplete="new-password" />
        </app-field>
      </ng-container>
    </app-form-dialog>
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
