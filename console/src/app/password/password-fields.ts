import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import {
  AbstractControl,
  ControlContainer,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzMessageService } from 'ng-zorro-antd/message';
import { API } from '../core/api-client';
import type { User } from '../core/api-types';
import { AuthService } from '../core/auth.service';
import { FieldComponent } from '../core/field.component';
import { FormSubmission } from '../core/form-submission';
import { I18nService } from '../core/i18n/i18n.service';

/** The confirmation must repeat the new password; checked on the confirm field so it shows there. */
export function sameAsNewPassword(control: AbstractControl): ValidationErrors | null {
  const newPassword = control.parent?.get('newPassword')?.value as string | undefined;
  return control.value && newPassword !== undefined && control.value !== newPassword
    ? { mismatch: true }
    : null;
}

/**
 * How a password form is sent: checked, one request at a time, a refusal shown on the form; once the server has the
 * password, the person is told (`done`, a translation key).
 */
class PasswordSender {
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  constructor(
    readonly submission: FormSubmission,
    private readonly done: string,
  ) {}

  /** True once the server has taken the password; false when not sent or refused (shown on the form). */
  async send(call: () => Promise<unknown>): Promise<boolean> {
    const sent = await this.submission.run(async () => {
      await call();
      return true;
    });
    if (sent) this.message.success(this.i18n.t(this.done));
    return sent === true;
  }
}

/**
 * A person changing their own password, wherever they do it (the forced change page, the layout's dialog): the
 * form (current, new, confirmation), its submission, and `send()`. Create it in an injection context (a
 * component's field).
 */
export class PasswordChange {
  private readonly auth = inject(AuthService);

  readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
    confirm: ['', [Validators.required, sameAsNewPassword]],
  });
  private readonly sender = new PasswordSender(new FormSubmission(this.form), 'password.changed');
  readonly submission = this.sender.submission;

  send(): Promise<boolean> {
    return this.sender.send(() => {
      const { currentPassword, newPassword } = this.form.getRawValue();
      return this.auth.changePassword(currentPassword, newPassword);
    });
  }
}

/**
 * An admin setting another user's password (the server makes them change it at their next sign-in): the new
 * password's form, its submission, and `send(user)`. Create it in an injection context.
 */
export class PasswordReset {
  private readonly api = inject(API);

  readonly form = inject(NonNullableFormBuilder).group({ newPassword: ['', Validators.required] });
  private readonly sender = new PasswordSender(new FormSubmission(this.form), 'users.passwordReset');
  readonly submission = this.sender.submission;

  send(user: Pick<User, 'id'>): Promise<boolean> {
    return this.sender.send(() => this.api.users.resetPassword.mutate({ id: user.id, newPassword: this.form.getRawValue().newPassword }));
  }
}

/**
 * The three fields of a password change, inside the caller's `[formGroup]` (a PasswordChange's form). `idPrefix`
 * keeps the ids apart where two of them could be on one page.
 */
@Component({
  selector: 'app-password-fields',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzInputModule, FieldComponent],
  viewProviders: [{ provide: ControlContainer, useFactory: () => inject(ControlContainer, { skipSelf: true }) }],
  template: `
    <app-field label="password.current" [for]="idPrefix() + '-current'" required>
      <input nz-input [id]="idPrefix() + '-current'" type="password" formControlName="currentPassword" autocomplete="current-password" />
    </app-field>
    <app-field label="password.new" [for]="idPrefix() + '-new'" required>
      <input nz-input [id]="idPrefix() + '-new'" type="password" formControlName="newPassword" autocomplete="new-password" />
    </app-field>
    <app-field label="password.confirm" [for]="idPrefix() + '-confirm'" required>
      <input nz-input [id]="idPrefix() + '-confirm'" type="password" formControlName="confirm" autocomplete="new-password" />
    </app-field>
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
})
export class PasswordFieldsComponent {
  readonly idPrefix = input('pw');
}
