import { Pipe, PipeTransform, inject } from '@angular/core';
import type { ValidationErrors } from '@angular/forms';
import { I18nService } from './i18n/i18n.service';

/**
 * Turns a control's errors into the one line nz-form-control shows under the field:
 * the server's message first (it knows best), then our own validators, translated.
 * Impure: it reads the current language and the control's mutable `errors`.
 */
@Pipe({ name: 'fieldError', pure: false })
export class FieldErrorPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(control: { errors: ValidationErrors | null } | null | undefined): string {
    const errors = control?.errors;
    if (!errors) return '';
    if (typeof errors['server'] === 'string') return errors['server'];
    if (errors['required']) return this.i18n.t('form.required');
    const minlength = errors['minlength'] as { requiredLength: number } | undefined;
    if (minlength) return this.i18n.t('form.minLength', { n: minlength.requiredLength });
    if (errors['pattern']) return this.i18n.t('form.pattern');
    if (errors['mismatch']) return this.i18n.t('form.mismatch');
    return this.i18n.t('form.pattern');
  }
}
