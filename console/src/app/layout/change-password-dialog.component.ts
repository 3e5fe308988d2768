import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { FormSubmission } from '../core/form-submission';
import { AuthService } from '../core/auth.service';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

/** The confirmation must repeat the new password; checked on the confirm field so it shows there. */
export function sameAsNewPassword(control: AbstractControl): ValidationErrors | null {
  const newPassword = control.parent?.get('newPassword')?.value as string | undefined;
  return control.value && newPassword !== undefined && control.value !== newPassword
    ? { mismatch: true }
    : null;
}

@Component({
  selector: 'app-change-password-dialog',
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
      [nzVisible]="open()"
      [nzTitle]="'password.title' | t"
      [nzMaskClosable]="false"
      (nzOnCancel)="cancel()"
    >
      <ng-container *nzModalContent>
        <app-error-alert [error]="error()" [extra]="extraErrors()" />
        <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()">
          <nz-form-item>
            <nz-form-label nzRequired>{{ 'password.current' | t }}</nz-form-label>
            <nz-form-control [nzErrorTip]="tip">
              <input nz-input type="password" formControlName="currentPassword" autocomplete="current-password" />
            </nz-form-control>
          </nz-form-item>
          <nz-form-item>
            <nz-form-label nzRequired>{{ 'password.new' | t }}</nz-form-label>
            <nz-form-control [nzErrorTip]="tip">
              <input nz-input type="password" formControlName="newPassword" autocomplete="new-password" />
            </nz-form-control>
          </nz-form-item>
          <nz-form-item>
            <nz-form-label nzRequired>{{ 'password.confirm' | t }}</nz-form-label>
            <nz-form-control [nzErrorTip]="tip">
              <input nz-input type="password" formControlName="confirm" autocomplete="new-password" />
            </nz-form-control>
          </nz-form-item>
          <button type="submit" hidden></button>
        </form>
      </ng-container>
      <ng-container *nzModalFooter>
        <button nz-button type="button" (click)="cancel()">{{ 'common.cancel' | t }}</button>
        <button nz-button nzType="primary" type="button" [nzLoading]="saving()" (click)="submit()">
          {{ 'common.save' | t }}
        </button>
      </ng-container>
    </nz-modal>
    <ng-template #tip let-control>{{ control | fieldError }}</ng-template>
  `,
})
export class ChangePasswordDialogComponent {
  private readonly auth = inject(AuthService);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  readonly open = input.required<boolean>();
  readonly closed = output<void>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
    confirm: ['', [Validators.required, sameAsNewPassword]],
  });
  protected readonly submission = new FormSubmission(this.form);
  protected readonly saving = this.submission.saving;
  protected readonly error = this.submission.error;
  protected readonly extraErrors = this.submission.extraErrors;

  constructor() {
    // Every opening starts from an empty form.
    effect(() => {
      if (this.open()) untracked(() => this.reset());
    });
  }

  protected cancel(): void {
    this.closed.emit();
  }

  protected async submit(): Promise<void> {
    const sent = await this.submission.run(async () => {
      const { currentPassword, newPassword } = this.form.getRawValue();
      await this.auth.changePassword(currentPassword, newPassword);
      return true;
    });
    if (!sent) return;
    this.message.success(this.i18n.t('password.changed'));
    this.closed.emit();
  }

  private reset(): void {
    this.form.reset();
    this.submission.clear();
  }
}
