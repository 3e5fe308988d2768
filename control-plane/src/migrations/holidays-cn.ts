import type { Blackout } from './plan-model.ts';

/**
 * China's statutory holidays (法定节假日) and adjusted working days (调休上班日) as the State Council's
 * General Office publishes them each year in 国务院办公厅关于YYYY年部分节假日安排的通知. Only years whose
 * notice could be read are shipped; every date below is transcribed from the notice's text, and the
 * spec (holidays-cn.test.ts) checks each range's length and weekdays against what the notice says.
 * A year without a notice here ships no dates: operators import or enter them (migrations.calendar API)
 * once the notice is out. Never add a year from a forecast or a commercial calendar.
 */

export interface HolidayRange {
  name: string;
  nameEn: string;
  from: string;
  to: string;
  /** "共N天" as the notice states it: the spec checks from..to has this many days. */
  days: number;
}

export interface HolidayNotice {
  year: number;
  title: string;
  /** Date the notice was signed (国务院办公厅 … 年 … 月 … 日). */
  issued: string;
  /** Where the text was read: the notice on www.gov.cn and the Xinhua release reprinted by national media. */
  sources: string[];
  holidays: HolidayRange[];
  /** Weekend days declared working days (上班), with the holiday they belong to. */
  workdays: { date: string; holiday: string }[];
}

const NOTICE_2026: HolidayNotice = {
  year: 2026,
  title: '国务院办公厅关于2026年部分节假日安排的通知',
  issued: '2025-11-04',
  sources: [
    'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    'https://politics.gmw.cn/2025-11/04/content_38391083.htm (新华社北京11月4日电，全文)',
  ],
  holidays: [
    { name: '元旦', nameEn: "New Year's Day", from: '2026-01-01', to: '2026-01-03', days: 3 },
    { name: '春节', nameEn: 'Spring Festival', from: '2026-02-15', to: '2026-02-23', days: 9 },
    { name: '清明节', nameEn: 'Qingming Festival', from: '2026-04-04', to: '2026-04-06', days: 3 },
    { name: '劳动节', nameEn: 'Labour Day', from: '2026-05-01', to: '2026-05-05', days: 5 },
    { name: '端午节', nameEn: 'Dragon Boat Festival', from: '2026-06-19', to: '2026-06-21', days: 3 },
    { name: '中秋节', nameEn: 'Mid-Autumn Festival', from: '2026-09-25', to: '2026-09-27', days: 3 },
    { name: '国庆节', nameEn: 'National Day', from: '2026-10-01', to: '2026-10-07', days: 7 },
  ],
  workdays: [
    { date: '2026-01-04', holiday: '元旦' },
    { date: '2026-02-14', holiday: '春节' },
    { date: '2026-02-28', holiday: '春节' },
    { date: '2026-05-09', holiday: '劳动节' },
    { date: '2026-09-20', holiday: '国庆节' },
    { date: '2026-10-10', holiday: '国庆节' },
  ],
};

/**
 * By year: the notice, or null when it could not be sourced. 2027: the notice for 2027 is normally issued
 * in November of the year before and was not available when this was written — no dates are shipped.
 */
export const STATUTORY_HOLIDAYS: Readonly<Record<number, HolidayNotice | null>> = {
  2026: NOTICE_2026,
  2027: null,
};

/** The holidays of the years that have a notice, as blackouts for every department. */
export function statutoryBlackouts(years: readonly number[]): Blackout[] {
  const out: Blackout[] = [];
  for (const y of years) {
    const notice = STATUTORY_HOLIDAYS[y];
    if (!notice) continue;
    for (const h of notice.holidays) out.push({ from: h.from, to: h.to, reason: `法定节假日：${h.name} / Statutory holiday: ${h.nameEn}`, departmentIds: null });
  }
  return out;
}
