import { TestBed } from '@angular/core/testing';
import { NzI18nService } from 'ng-zorro-antd/i18n';
import { setUpConsoleSpec } from '../../../testing/test-helpers';
import { en } from './en';
import { I18nService } from './i18n.service';
import { zhCN } from './zh-CN';

describe('I18nService', () => {
  beforeEach(() => {
    setUpConsoleSpec();
  });

  it('starts in Chinese and fills in parameters', () => {
    const i18n = TestBed.inject(I18nService);
    expect(i18n.lang()).toBe('zh-CN');
    expect(i18n.t('nav.users')).toBe('用户');
    expect(i18n.t('audit.verifyOk', { count: 3 })).toBe('审计链完整，共验证 3 条记录');
    expect(i18n.t('no.such.key')).toBe('no.such.key');
  });

  it('switches ng-zorro and the page language, and remembers the choice', () => {
    const i18n = TestBed.inject(I18nService);
    i18n.setLang('en');

    expect(i18n.t('nav.users')).toBe('Users');
    expect(TestBed.inject(NzI18nService).getLocaleId()).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('ganyun.lang')).toBe('en');
  });

  it("gives a server text kept in both languages in the reader's language", () => {
    const i18n = TestBed.inject(I18nService);
    const text = { zh: '与部门同城', en: 'same city' };
    expect(i18n.text(text)).toBe('与部门同城');
    i18n.setLang('en');
    expect(i18n.text(text)).toBe('same city');
  });

  it("lists items in the reader's language", () => {
    const i18n = TestBed.inject(I18nService);
    expect(i18n.list(['社保查询系统', '电子证照'])).toBe('社保查询系统、电子证照');
    i18n.setLang('en');
    expect(i18n.list(['a', 'b', 'c'])).toBe('a, b, c');
    expect(i18n.list([])).toBe('');
  });

  it('restores a stored choice', () => {
    localStorage.setItem('ganyun.lang', 'en');
    expect(TestBed.inject(I18nService).t('login.submit')).toBe('Sign in');
  });

  it('has an English text for every Chinese one and no empty texts', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const dict of [en, zhCN]) {
      expect(Object.entries(dict).filter(([, v]) => !v.trim())).toEqual([]);
    }
  });
});
