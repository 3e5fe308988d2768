import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import { NzI18nService, en_US, zh_CN } from 'ng-zorro-antd/i18n';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export type TranslateParams = Record<string, string | number>;

const STORAGE_KEY = 'ganyun.lang';
const DICTIONARIES: Record<Lang, Record<string, string>> = { 'zh-CN': zhCN, en };

/**
 * The console's own texts (ng-zorro's built-in texts follow through NzI18nService).
 * A signal, so every template that reads `t` re-renders when the language changes.
 */
@Injectable({ providedIn: 'root' })
export class I18nService {
  private readonly nz = inject(NzI18nService);
  private readonly document = inject(DOCUMENT);
  private readonly langSig = signal<Lang>(readStoredLang());

  readonly lang = this.langSig.asReadonly();

  constructor() {
    this.applyToPage(this.langSig());
  }

  setLang(lang: Lang): void {
    if (lang === this.langSig()) return;
    localStorage.setItem(STORAGE_KEY, lang);
    this.langSig.set(lang);
    this.applyToPage(lang);
  }

  /** Unknown keys fall back to Chinese, then to the key itself, so a gap is visible, not blank. */
  t(key: string, params?: TranslateParams): string {
    const text = DICTIONARIES[this.langSig()][key] ?? DICTIONARIES['zh-CN'][key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  }

  private applyToPage(lang: Lang): void {
    this.nz.setLocale(lang === 'en' ? en_US : zh_CN);
    this.document.documentElement.lang = lang;
  }
}

function readStoredLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGS.includes(stored as Lang) ? (stored as Lang) : 'zh-CN';
}
