import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzFormModule } from 'ng-zorro-antd/form';
import { AuthService } from '../core/auth.service';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { LangSwitchComponent } from '../core/lang-switch.component';
import { safeReturnUrl } from '../core/return-url';
import { PasswordChange, PasswordFieldsComponent } from './password-fields';

/**
 * The forced password change (issue 17.8): a page of its own, before the layout, like the sign-in page. The
 * guard sends a user whose password was reset here with the URL they asked for; once the server has the new
 * password, the session says so and the app goes straight on to that URL, the layout built fresh (menu, user,
 * every page's data loaded with a session the server now serves).
 */
@Component({
  selector: 'app-password-change',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzCardModule, NzFormModule, ErrorAlertComponent, PasswordFieldsComponent, LangSwitchComponent, TranslatePipe],
  template: `
    <div class="login-page">
      <div class="login-lang"><app-lang-switch /></div>
      <nz-card class="login-card">
        <h1 class="login-brand">{{ 'password.title' | t }}</h1>
        <p class="login-subtitle must-change">{{ 'password.mustChange' | t }}</p>
        <app-error-alert [error]="submission.error()" [extra]="submission.extraErrors()" />
        <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()">
          <app-password-fields idPrefix="pw" />
          <button nz-button nzType="primary" nzBlock type="submit" class="change" [nzLoading]="submission.saving()">
            {{ 'password.continue' | t }}
          </button>
        </form>
        <button nz-button nzType="link" nzBlock type="button" class="sign-out" (click)="signOut()">
          {{ 'password.signOut' | t }}
        </button>
      </nz-card>
    </div>
  `,
  styleUrl: '../login/login.component.css',
})
export class PasswordChangeComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly change = new PasswordChange();
  protected readonly form = this.change.form;
  protected readonly submission = this.change.submission;

  protected async submit(): Promise<void> {
    if (!(await this.change.send())) return;
    await this.router.navigateByUrl(safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl')));
  }

  protected signOut(): void {
    void this.auth.logout();
  }
}
