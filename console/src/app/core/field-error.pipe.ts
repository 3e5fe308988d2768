import { Pipe, PipeTransform, inject } from '@angular/core';
import type { ValidationErrors } from '@angular/forms';
import type { Problem } from './api-error';
import { problemText } from './error-text';
import { I18nService } from './i18n/i18n.service';

/**
 * Turns a control's errors into the one line nz-form-control shows under the field:
 * the server's refusal first (it knows best: a Problem, translated from its code by core/error-text.ts),
 * then our own validators, translated.
 * Impure: it reads the current language and the control's mutable `errors`.
 */
@Pipe({ name: 'fieldError', pure: false })
export class FieldErrorPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(control: { errors: ValidationErrors | null } | null | undefined): string {
    const errors = control?.errors;
    if (!errors) return '';
    const server = errors['server'] as Problem | string | undefined;
    if (typeof server === 'string') return server;
    if (server && typeof server.code === 'string') return problemText(this.i18n, server);
    if (errors['required']) return this.i18n.t('form.required');
    const minlength = errors['minlength'] as { requiredLength: number } | undefined;
    if (minlength) return this.i18n.t('form.minLength', { n: minlength.requiredLength });
    if (errors['pattern']) return this.i18n.t('form.pattern');
    if (errors['mismatch']) return this.i18n.t('form.mismatch');
    return this.i18n.t('form.pattern');
  }
}
