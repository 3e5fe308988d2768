import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { User } from '../../core/api-types';
import { FORM_DIALOG_IMPORTS } from '../../core/form-dialog.component';
import { PasswordReset } from '../../password/password-fields';

/** Open while `user` is set. The server marks the account so the user must change it at next login. */
@Component({
  selector: 'app-reset-password-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FORM_DIALOG_IMPORTS],
  template: `
    <app-form-dialog
      [open]="user() !== null"
      [title]="'users.resetFor' | t: { name: user()?.displayName ?? '' }"
      [submission]="reset.submission"
      [initial]="{ newPassword: '' }"
      [saveLabel]="'users.resetPassword' | t"
      width="520px"
      layout="vertical"
      (save)="submit()"
      (closed)="closed.emit()"
    >
      <ng-container [formGroup]="reset.form">
        <app-field label="password.new" for="reset-new-password" required>
          <input nz-input id="reset-new-password" type="password" formControlName="newPassword" autocomplete="new-password" />
        </app-field>
      </ng-container>
    </app-form-dialog>
  `,
})
export class ResetPasswordDialogComponent {
  readonly user = input<User | null>(null);
  readonly closed = output<void>();

  protected readonly reset = new PasswordReset();

  protected async submit(): Promise<void> {
    const user = this.user();
    if (user && (await this.reset.send(user))) this.closed.emit();
  }
}
