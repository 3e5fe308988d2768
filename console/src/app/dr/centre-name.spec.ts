import { TestBed } from '@angular/core/testing';
import { setUpConsoleSpec } from '../../testing/test-helpers';
import { I18nService } from '../core/i18n/i18n.service';
import { centreDisplayName } from './centre-name';

describe('centreDisplayName', () => {
  let i18n: I18nService;
  beforeEach(() => {
    setUpConsoleSpec();
    i18n = TestBed.inject(I18nService);
  });

  const both = { name: '南昌主中心', nameEn: 'Nanchang primary' };

  it('names a centre in Chinese, whether or not it has an English name', () => {
    expect(centreDisplayName(both, i18n)).toBe('南昌主中心');
    expect(centreDisplayName({ name: '九江灾备中心', nameEn: '' }, i18n)).toBe('九江灾备中心');
  });

  it('names it in English after the switch, in Chinese where it has no English name', () => {
    i18n.setLang('en');
    expect(centreDisplayName(both, i18n)).toBe('Nanchang primary');
    expect(centreDisplayName({ name: '九江灾备中心', nameEn: '' }, i18n)).toBe('九江灾备中心');
    expect(centreDisplayName({ name: '九江灾备中心', nameEn: null }, i18n)).toBe('九江灾备中心');
    expect(centreDisplayName({ name: '九江灾备中心' }, i18n)).toBe('九江灾备中心');
  });

  it('follows the language back to Chinese', () => {
    i18n.setLang('en');
    i18n.setLang('zh-CN');
    expect(centreDisplayName(both, i18n)).toBe('南昌主中心');
  });
});
