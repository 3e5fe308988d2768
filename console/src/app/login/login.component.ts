import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { ApiError, FieldProblem, checkForm, formError } from '../core/api-error';
import { AuthService, landingPath } from '../core/auth.service';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { LangSwitchComponent } from '../core/lang-switch.component';
import { returnUrlQuery, safeReturnUrl } from '../core/return-url';
import { FieldComponent } from '../core/field.component';

@Component({
  selector: 'app-login',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldComponent, ReactiveFormsModule, NzButtonModule, NzCardModule, NzFormModule, NzInputModule, ErrorAlertComponent, LangSwitchComponent, TranslatePipe],
  templateUrl: './login.component.html',
  styleUrl: './login.component.css',
})
export class LoginComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    password: ['', Validators.required],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly extraErrors = signal<FieldProblem[]>([]);

  protected async submit(): Promise<void> {
    if (this.submitting() || !checkForm(this.form)) return;
    this.submitting.set(true);
    this.error.set(null);
    try {
      const { username, password } = this.form.getRawValue();
      const user = await this.auth.login(username, password);
      // Straight on to the page the user asked for (a path of this console only), by the password page first
      // when the password was reset (issue 17.8).
      const wanted = this.route.snapshot.queryParamMap.get('returnUrl');
      const target = wanted ? safeReturnUrl(wanted) : landingPath(user.roles);
      if (user.mustChangePassword) await this.router.navigate(['/password'], returnUrlQuery(target));
      else await this.router.navigateByUrl(target);
    } catch (err) {
      const { error, extra } = formError(this.form, err);
      this.error.set(error);
      this.extraErrors.set(extra);
    } finally {
      this.submitting.set(false);
    }
  }
}
