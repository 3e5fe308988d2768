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
 * A person changing their own password, wherever they do it (the forced change page, the layout's dialog): the
 * form (current, new, confirmation), its submission, and `send()`, which tells the person once the server has
 * the new password. Create it in an injection context (a component's field).
 */
export class PasswordChange {
  private readonly auth = inject(AuthService);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
    confirm: ['', [Validators.required, sameAsNewPassword]],
  });
  readonly submission = new FormSubmission(this.form);

  /** True once the server has taken the new password; false when not sent or refused (shown on the form). */
  async send(): Promise<boolean> {
    const sent = await this.submission.run(async () => {
      const { currentPassword, newPassword } = this.form.getRawValue();
      await this.auth.changePassword(currentPassword, newPassword);
      return true;
    });
    if (!sent) return false;
    this.message.success(this.i18n.t('password.changed'));
    return true;
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
