/**
 * The migration plan's data, as the scheduler and the independent checker both read it. Pure types: the
 * scheduler compiles this into arrays (compile.ts); the checker (checker.ts) reads it directly, so that the
 * two never share the logic that decides what a constraint means.
 *
 * Times: every date and time of day here is China Standard Time (UTC+8, no daylight saving), the time the
 * departments and the operators keep. Dates are `YYYY-MM-DD`, times of day `HH:MM`.
 */

/** One window of the plan: a week, from its first day (00:00) for seven days. Waves are the windows in use. */
export interface PlanWindow {
  id: string;
  /** First day of the week (a Monday in the usual plan). */
  weekStart: string;
}

/** A department's recurring maintenance slot: day of the week (1 = Monday … 7 = Sunday), start, length. */
export interface MaintenanceSlot {
  weekday: number;
  start: string;
  hours: number;
}

export interface DepartmentCalendar {
  departmentId: string;
  name: string;
  /** Slots in a week; the department can move systems in a window if one of its slots there is usable. */
  slots: MaintenanceSlot[];
}

/** Days on which no migration may run: statutory holidays, key events, a department's own busy days. */
export interface Blackout {
  from: string;
  /** Inclusive. */
  to: string;
  reason: string;
  /** null: every department. */
  departmentIds: string[] | null;
}

/** vCPU available for migrated systems on one target pool (a cloud's architecture, or its same-city DR zone), cumulative over the plan. */
export interface CapacityPool {
  key: string;
  label: string;
  /** From `fromWindow` on, `vcpu` in total may be occupied by systems moved there (steps add hardware as it arrives). */
  steps: { fromWindow: number; vcpu: number }[];
}

/** Replication bandwidth from a source site to a target cloud, usable for `hoursPerWindow` in each window. */
export interface ReplicationLink {
  id: string;
  label: string;
  gbps: number;
  hoursPerWindow: number;
}

export interface PlanSystem {
  id: string;
  name: string;
  departmentId: string;
  /** Operator hours the move takes inside its window (effort.ts estimates it from the method and size). */
  effortHours: number;
  /** Data to copy over the link before cut-over. */
  dataGiB: number;
  vcpu: number;
  linkId: string;
  /** The target's production pool. */
  targetPool: string;
  /** The target's same-city DR pool, when the target has one. */
  targetDrPool: string | null;
  /** 等保 level 1–4. */
  mlpsLevel: number;
  /** GB/T 20988 level 1–6. Level ≥ 4 keeps same-city protection through the move: the target's DR pool is filled in the same window. */
  drLevel: number;
  /** Systems (of this plan) it needs: it moves in the same window as them or later. */
  dependsOn: string[];
  /** Move-together group: every system of a group moves in the same window. */
  group: string | null;
  /** A wave already under way: the system stays in this window whatever else changes. */
  pinnedWindow: number | null;
}

export interface RiskWeights {
  /** Weight of a system by its 等保 level (index 1–4). */
  mlps: Record<number, number>;
}

export interface PlanInput {
  windows: PlanWindow[];
  departments: DepartmentCalendar[];
  blackouts: Blackout[];
  /** Operator hours the migration team has in each window (same length as `windows`). */
  operatorHours: number[];
  pools: CapacityPool[];
  links: ReplicationLink[];
  systems: PlanSystem[];
  /** Instant (ISO 8601) before which no new move may start: slots starting earlier are in the past. */
  notBefore: string | null;
  risk?: RiskWeights;
}

export const DEFAULT_RISK: RiskWeights = { mlps: { 1: 1, 2: 2, 3: 4, 4: 8 } };

/** The schedule: each system's window index. */
export type Assignment = ReadonlyMap<string, number>;

/** GiB a link carries in one window: Gbit/s × seconds ÷ 8 bits ÷ 2^30 bytes. */
export function linkGiBPerWindow(link: Pick<ReplicationLink, 'gbps' | 'hoursPerWindow'>): number {
  return (link.gbps * 1e9 * link.hoursPerWindow * 3600) / 8 / 2 ** 30;
}
