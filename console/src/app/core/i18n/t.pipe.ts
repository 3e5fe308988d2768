import { Pipe, PipeTransform, inject } from '@angular/core';
import { I18nService, TranslateParams } from './i18n.service';

/**
 * `{{ 'nav.users' | t }}`. Impure so it re-runs on every check: the language lives in a signal
 * read here, and a pure pipe would keep the old text while its arguments stay the same.
 */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(key: string, params?: TranslateParams): string {
    return this.i18n.t(key, params);
  }
}
