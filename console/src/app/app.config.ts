import { ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { TitleStrategy, provideRouter, withComponentInputBinding } from '@angular/router';
import { provideNzI18n, zh_CN } from 'ng-zorro-antd/i18n';
import { provideNzIcons } from 'ng-zorro-antd/icon';
import { routes } from './app.routes';
import { I18nService } from './core/i18n/i18n.service';
import { TranslatedTitleStrategy } from './core/i18n/title.strategy';
import { APP_ICONS } from './icons';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    // Chinese first; I18nService switches ng-zorro to English when the user chose it.
    provideNzI18n(zh_CN),
    provideNzIcons(APP_ICONS),
    { provide: TitleStrategy, useClass: TranslatedTitleStrategy },
    // Apply the stored language before the first screen renders.
    provideAppInitializer(() => void inject(I18nService)),
  ],
};
