import { dayMinutes, isoWeekday } from './calendar.ts';
import { STATUTORY_HOLIDAYS, statutoryBlackouts } from './holidays-cn.ts';

/**
 * The 2026 data against the notice's own words: each range's length ("共N天") and the weekdays the notice
 * prints beside its dates (1月1日（周四）至3日（周六） …; 1月4日（周日）上班 …).
 */
describe('statutory holidays (国务院办公厅关于2026年部分节假日安排的通知)', () => {
  const notice = STATUTORY_HOLIDAYS[2026]!;
  const weekdays: Record<string, [number, number]> = {
    元旦: [4, 6], 春节: [7, 1], 清明节: [6, 1], 劳动节: [5, 2], 端午节: [5, 7], 中秋节: [5, 7], 国庆节: [4, 3],
  };

  it('ships every range with the length and weekdays the notice states', () => {
    expect(notice.holidays.map((h) => h.name)).toEqual(Object.keys(weekdays));
    for (const h of notice.holidays) {
      const days = (dayMinutes(h.to) - dayMinutes(h.from)) / 1440 + 1;
      expect(`${h.name} ${days}`).toBe(`${h.name} ${h.days}`);
      expect([isoWeekday(h.from), isoWeekday(h.to)]).toEqual(weekdays[h.name]!);
    }
  });

  it('ships the adjusted working days, each a Saturday or a Sunday as printed', () => {
    const printed: Record<string, number> = { '2026-01-04': 7, '2026-02-14': 6, '2026-02-28': 6, '2026-05-09': 6, '2026-09-20': 7, '2026-10-10': 6 };
    expect(Object.fromEntries(notice.workdays.map((w) => [w.date, isoWeekday(w.date)]))).toEqual(printed);
  });

  it('cites where the notice was read', () => {
    expect(notice.sources.some((s) => s.startsWith('https://www.gov.cn/'))).toBeTrue();
  });

  it('ships no dates for 2027, whose notice could not be sourced', () => {
    expect(STATUTORY_HOLIDAYS[2027]).toBeNull();
    expect(statutoryBlackouts([2027])).toEqual([]);
    expect(statutoryBlackouts([2026, 2027]).length).toBe(7);
  });
});
