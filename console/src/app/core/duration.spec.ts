import { TestBed } from '@angular/core/testing';
import { setUpConsoleSpec } from '../../testing/test-helpers';
import { I18nService } from './i18n/i18n.service';
import { durationText } from './duration';

describe('durationText', () => {
  let i18n: I18nService;
  beforeEach(() => {
    setUpConsoleSpec();
    i18n = TestBed.inject(I18nService);
  });

  const start = '2026-03-01T08:00:00.000Z';

  it('shows milliseconds under a second and seconds to a tenth from one', () => {
    expect(durationText(start, '2026-03-01T08:00:00.000Z', i18n)).toBe('0 ms');
    expect(durationText(start, '2026-03-01T08:00:00.850Z', i18n)).toBe('850 ms');
    expect(durationText(start, '2026-03-01T08:00:00.999Z', i18n)).toBe('999 ms');
    expect(durationText(start, '2026-03-01T08:00:01.000Z', i18n)).toBe('1.0 s');
    expect(durationText(start, '2026-03-01T08:00:02.460Z', i18n)).toBe('2.5 s');
    expect(durationText(start, '2026-03-01T08:02:05.000Z', i18n)).toBe('125.0 s');
  });

  it('shows a dash before the start and an ellipsis while it runs', () => {
    expect(durationText(null, null, i18n)).toBe('—');
    expect(durationText(undefined, '2026-03-01T08:00:01.000Z', i18n)).toBe('—');
    expect(durationText(null, '2026-03-01T08:00:01.000Z', i18n)).toBe('—');
    expect(durationText(start, null, i18n)).toBe('…');
    expect(durationText(start, undefined, i18n)).toBe('…');
  });

  it('is the same in English', () => {
    i18n.setLang('en');
    expect(durationText(start, '2026-03-01T08:00:00.850Z', i18n)).toBe('850 ms');
    expect(durationText(start, '2026-03-01T08:00:02.460Z', i18n)).toBe('2.5 s');
    expect(durationText(null, null, i18n)).toBe('—');
    expect(durationText(start, null, i18n)).toBe('…');
  });
});
