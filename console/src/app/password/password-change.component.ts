import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzMessageService } from 'ng-zorro-antd/message';
import { AuthService } from '../core/auth.service';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { FormSubmission } from '../core/form-submission';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { LangSwitchComponent } from '../core/lang-switch.component';
import { safeReturnUrl } from '../core/return-url';
import { sameAsNewPassword } from '../layout/change-password-dialog.component';

/**
 * The forced password change (issue 17.8): a page of its own, before the layout, like the sign-in page. The
 * guard sends a user whose password was reset here with the URL they asked for; once the server has the new
 * password, the session says so and the app goes straight on to that URL, the layout built fresh (menu, user,
 * every page's data loaded with a session the server now serves).
 */
@Component({
  selector: 'app-password-change',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    NzButtonModule,
    NzCardModule,
    NzFormModule,
    NzInputModule,
    ErrorAlertComponent,
    FieldErrorPipe,
    LangSwitchComponent,
    TranslatePipe,
  ],
  template: `
    <div class="login-page">
      <div class="login-lang"><app-lang-switch /></div>
      <nz-card class="login-card">
        <h1 class="login-brand">{{ 'password.title' | t }}</h1>
        <p class="login-subtitle must-change">{{ 'password.mustChange' | t }}</p>
        <app-error-alert [error]="submission.error()" [extra]="submission.extraErrors()" />
        <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()">
          <nz-form-item>
            <nz-form-label nzFor="pw-current" nzRequired>{{ 'password.current' | t }}</nz-form-label>
            <nz-form-control [nzErrorTip]="tip" data-field="currentPassword">
              <input nz-input id="pw-current" type="password" formControlName="currentPassword" autocomplete="current-password" />
            </nz-form-control>
          </nz-form-item>
          <nz-form-item>
            <nz-form-label nzFor="pw-new" nzRequired>{{ 'password.new' | t }}</nz-form-label>
            <nz-form-control [nzErrorTip]="tip" data-field="newPassword">
              <input nz-input id="pw-new" type="password" formControlName="newPassword" autocomplete="new-password" />
            </nz-form-control>
          </nz-form-item>
          <nz-form-item>
            <nz-form-label nzFor="pw-confirm" nzRequired>{{ 'password.confirm' | t }}</nz-form-label>
            <nz-form-control [nzErrorTip]="tip" data-field="confirm">
              <input nz-input id="pw-confirm" type="password" formControlName="confirm" autocomplete="new-password" />
            </nz-form-control>
          </nz-form-item>
          <button nz-button nzType="primary" nzBlock type="submit" class="change" [nzLoading]="submission.saving()">
            {{ 'password.continue' | t }}
          </button>
        </form>
        <button nz-button nzType="link" nzBlock type="button" class="sign-out" (click)="signOut()">
          {{ 'password.signOut' | t }}
        </button>
      </nz-card>
    </div>
    <ng-template #tip let-control>{{ control | fieldError }}</ng-template>
  `,
  styleUrl: '../login/login.component.css',
})
export class PasswordChangeComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
    confirm: ['', [Validators.required, sameAsNewPassword]],
  });
  protected readonly submission = new FormSubmission(this.form);

  protected async submit(): Promise<void> {
    const changed = await this.submission.run(async () => {
      const { currentPassword, newPassword } = this.form.getRawValue();
      await this.auth.changePassword(currentPassword, newPassword);
      return true;
    });
    if (!changed) return;
    this.message.success(this.i18n.t('password.changed'));
    await this.router.navigateByUrl(safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl')));
  }

  protected signOut(): void {
    void this.auth.logout();
  }
}
