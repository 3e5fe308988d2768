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

  /**
   * Unknown keys fall back to Chinese, then to the key itself, so a gap is visible, not blank. Parameters fill
   * `{name}`; counts choose a branch of `{name, plural, =0 {…} one {# item} other {# items}}` by the
   * language's plural rules (ICU syntax, `#` is the count).
   */
  t(key: string, params?: TranslateParams): string {
    const text = DICTIONARIES[this.langSig()][key] ?? DICTIONARIES['zh-CN'][key] ?? key;
    return params ? formatMessage(text, params, this.langSig()) : text;
  }

  /**
   * A text the server keeps in both languages (a rule's title, a reason, a step's prompt) in the reader's
   * language. Reads the language signal, so a switch re-renders; the one place that choice is made.
   */
  text(t: { zh: string; en: string }): string {
    return this.langSig() === 'en' ? t.en : t.zh;
  }

  /** Items listed in the reader's language: "甲、乙" in Chinese, "a, b" in English. */
  list(items: readonly string[]): string {
    return items.join(this.langSig() === 'en' ? ', ' : '、');
  }

  /** Whether a key has a text (in this language or the Chinese fallback). */
  has(key: string): boolean {
    return key in DICTIONARIES[this.langSig()] || key in DICTIONARIES['zh-CN'];
  }

  private applyToPage(lang: Lang): void {
    this.nz.setLocale(lang === 'en' ? en_US : zh_CN);
    this.document.documentElement.lang = lang;
  }
}

/** Fills `{name}` and ICU `{name, plural, …}` in a text; anything it cannot read stays as written. */
export function formatMessage(text: string, params: TranslateParams, lang: Lang): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) break;
    const close = matchingBrace(text, open);
    if (close < 0) break;
    out += text.slice(i, open);
    const inner = text.slice(open + 1, close);
    const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
    if (plural) out += pluralBranch(plural[1]!, plural[2]!, params, lang) ?? text.slice(open, close + 1);
    else if (/^\w+$/.test(inner) && inner in params) out += String(params[inner]);
    else out += text.slice(open, close + 1);
    i = close + 1;
  }
  return out + text.slice(i);
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function pluralBranch(name: string, body: string, params: TranslateParams, lang: Lang): string | null {
  const n = Number(params[name]);
  if (!(name in params) || !Number.isFinite(n)) return null;
  const branches = new Map<string, string>();
  const selector = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
  let at = 0;
  while (at < body.length) {
    selector.lastIndex = at;
    const m = selector.exec(body);
    if (!m) break;
    const open = selector.lastIndex - 1;
    const close = matchingBrace(body, open);
    if (close < 0) return null;
    branches.set(m[1]!, body.slice(open + 1, close));
    at = close + 1;
  }
  const chosen = branches.get(`=${n}`) ?? branches.get(new Intl.PluralRules(lang).select(n)) ?? branches.get('other');
  if (chosen === undefined) return null;
  return formatMessage(chosen.replace(/#/g, n.toLocaleString(lang)), params, lang);
}

function readStoredLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGS.includes(stored as Lang) ? (stored as Lang) : 'zh-CN';
}
