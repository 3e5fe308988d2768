import { InputError } from '../errors.ts';
import type { Blackout, MaintenanceSlot, PlanInput, PlanWindow } from './plan-model.ts';

/**
 * Which windows each department can use. A department moves systems during its maintenance slot of the
 * week; the window is open to it when at least one of its slots that week starts at or after the plan's
 * `notBefore` and touches no blackout day that applies to it. Times are China Standard Time throughout,
 * so local wall-clock minutes are counted as if they were UTC (there is no daylight saving to correct).
 */

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** Minutes since 1970-01-01 00:00 China time of a `YYYY-MM-DD` date. */
export function dayMinutes(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / MINUTE;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a `YYYY-MM-DD` date. */
export function isoWeekday(date: string): number {
  const js = new Date(dayMinutes(date) * MINUTE).getUTCDay();
  return js === 0 ? 7 : js;
}

export function addDays(date: string, days: number): string {
  return new Date((dayMinutes(date) + days * DAY_MINUTES) * MINUTE).toISOString().slice(0, 10);
}

/** China-time minutes of an instant (ISO 8601 with its offset). */
export function instantToLocalMinutes(iso: string): number {
  return Date.parse(iso) / MINUTE + 8 * 60;
}

export interface SlotInstance {
  /** China-time minutes, start inclusive, end exclusive. */
  start: number;
  end: number;
  slot: MaintenanceSlot;
}

/** The slot's occurrence inside a window's week. */
export function slotInWindow(window: PlanWindow, slot: MaintenanceSlot): SlotInstance {
  const offsetDays = (slot.weekday - isoWeekday(window.weekStart) + 7) % 7;
  const [h, m] = slot.start.split(':').map(Number) as [number, number];
  const start = dayMinutes(window.weekStart) + offsetDays * DAY_MINUTES + h * 60 + m;
  return { start, end: start + slot.hours * 60, slot };
}

function blackoutRange(b: Blackout): { start: number; end: number } {
  return { start: dayMinutes(b.from), end: dayMinutes(b.to) + DAY_MINUTES };
}

export type ClosedReason = { kind: 'blackout'; blackout: Blackout } | { kind: 'past' } | { kind: 'no-slot' };

export interface DepartmentWindow {
  open: boolean;
  /** The slot the move would use (the first usable one of the week). */
  slot: SlotInstance | null;
  /** Why each of the week's slots is unusable (empty when open). */
  closed: ClosedReason[];
}

/** Open/closed per department and window, with the reasons a window is closed (for explanations). */
export function departmentWindows(input: Pick<PlanInput, 'windows' | 'departments' | 'blackouts' | 'notBefore'>): Map<string, DepartmentWindow[]> {
  const notBefore = input.notBefore === null ? -Infinity : instantToLocalMinutes(input.notBefore);
  const ranges = input.blackouts.map((b) => ({ b, ...blackoutRange(b) }));
  // Parse every date once: windows' first minute and weekday.
  const weeks = input.windows.map((w) => ({ start: dayMinutes(w.weekStart), weekday: isoWeekday(w.weekStart) }));
  const out = new Map<string, DepartmentWindow[]>();
  for (const dept of input.departments) {
    const applying = ranges.filter((r) => r.b.departmentIds === null || r.b.departmentIds.includes(dept.departmentId));
    const slots = dept.slots.map((slot) => {
      const [h, m] = slot.start.split(':').map(Number) as [number, number];
      return { slot, minute: h * 60 + m, length: slot.hours * 60 };
    });
    out.set(dept.departmentId, weeks.map((week) => windowFor(slots, week, applying, notBefore)));
  }
  return out;
}

function windowFor(
  slots: { slot: MaintenanceSlot; minute: number; length: number }[],
  week: { start: number; weekday: number },
  blackouts: { b: Blackout; start: number; end: number }[],
  notBefore: number,
): DepartmentWindow {
  if (slots.length === 0) return { open: false, slot: null, closed: [{ kind: 'no-slot' }] };
  const closed: ClosedReason[] = [];
  const instances = slots
    .map(({ slot, minute, length }) => {
      const start = week.start + ((slot.weekday - week.weekday + 7) % 7) * DAY_MINUTES + minute;
      return { start, end: start + length, slot };
    })
    .sort((a, b) => a.start - b.start);
  for (const inst of instances) {
    if (inst.start < notBefore) {
      closed.push({ kind: 'past' });
      continue;
    }
    const hit = blackouts.find((r) => r.start < inst.end && inst.start < r.end);
    if (hit) {
      closed.push({ kind: 'blackout', blackout: hit.b });
      continue;
    }
    return { open: true, slot: inst, closed: [] };
  }
  return { open: false, slot: null, closed };
}

/**
 * A window an operator adds or edits must not be over already: its week must end after `now`. (Past
 * windows stay in a plan only as the record of waves that ran.)
 */
export function assertWindowNotPast(window: PlanWindow, now: Date): void {
  const weekEnd = dayMinutes(window.weekStart) + 7 * DAY_MINUTES;
  if (weekEnd <= instantToLocalMinutes(now.toISOString())) {
    throw new InputError(`window ${window.id} (week of ${window.weekStart}) is in the past`, 'windows', { code: 'migration.windowInPast', params: { window: window.id, weekStart: window.weekStart } });
  }
}

/** `YYYY-MM-DD HH:MM` of China-time minutes, for messages. */
export function formatLocal(minutes: number): string {
  return new Date(minutes * MINUTE).toISOString().slice(0, 16).replace('T', ' ');
}
