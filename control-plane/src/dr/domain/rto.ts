/**
 * Achieved RTO per system, by phase. Detect (the disruption is noticed), declare (the decision to fail
 * over, or a drill's start), execute (recovery actions), validate (business probes pass). Traffic cut-over
 * is recorded on its own inside execute.
 *
 * Timestamps are wall-clock milliseconds kept monotonic: a reading earlier than the last one (the clock
 * stepped back, or another replica with a slightly different clock took over after a crash) is clamped to
 * the last one and flagged, so no phase ever has a negative duration and the report says the clock moved.
 */
export const PHASES = ['detect', 'declare', 'execute', 'validate'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseSpan {
  readonly start?: number;
  readonly end?: number;
}

export interface SystemTimeline {
  readonly phases: Readonly<Partial<Record<Phase, PhaseSpan>>>;
  readonly cutover?: number;
  /** The last timestamp handed out: the floor for the next. */
  readonly last: number;
  readonly clockAdjusted: boolean;
}

export const emptyTimeline = (): SystemTimeline => ({ phases: {}, last: 0, clockAdjusted: false });

/** Records `phase` start or end at `wallMs` (kept monotonic); a second mark of the same edge keeps the first. */
export function mark(t: SystemTimeline, phase: Phase | 'cutover', edge: 'start' | 'end', wallMs: number): SystemTimeline {
  const at = Math.max(wallMs, t.last);
  const clockAdjusted = t.clockAdjusted || wallMs < t.last;
  if (phase === 'cutover') return t.cutover !== undefined ? t : { ...t, cutover: at, last: at, clockAdjusted };
  const span = t.phases[phase] ?? {};
  if (span[edge] !== undefined) return t;
  return { ...t, phases: { ...t.phases, [phase]: { ...span, [edge]: at } }, last: at, clockAdjusted };
}

export interface RtoResult {
  /** From the disruption (or, in a drill or a planned switchover, the declaration) to validation passing. */
  readonly achievedSeconds: number | null;
  readonly phaseSeconds: Readonly<Partial<Record<Phase, number>>>;
  readonly targetSeconds: number;
  readonly met: boolean | null;
}

/**
 * RTO from the agreed disruption point: for an unplanned failover the start of detection, otherwise (a
 * drill, a planned switchover) the declaration. Null while validation has not passed.
 */
export function achievedRto(t: SystemTimeline, targetSeconds: number): RtoResult {
  const phaseSeconds: Partial<Record<Phase, number>> = {};
  for (const p of PHASES) {
    const s = t.phases[p];
    if (s?.start !== undefined && s.end !== undefined) phaseSeconds[p] = (s.end - s.start) / 1000;
  }
  const from = t.phases.detect?.start ?? t.phases.declare?.start;
  const to = t.phases.validate?.end;
  const achievedSeconds = from === undefined || to === undefined ? null : (to - from) / 1000;
  return { achievedSeconds, phaseSeconds, targetSeconds, met: achievedSeconds === null ? null : achievedSeconds <= targetSeconds };
}

/** RPO achieved: the replication lag at the cut, against the target. */
export function achievedRpo(lagAtCutSeconds: number | null, targetSeconds: number): { seconds: number | null; targetSeconds: number; met: boolean | null } {
  return { seconds: lagAtCutSeconds, targetSeconds, met: lagAtCutSeconds === null ? null : lagAtCutSeconds <= targetSeconds };
}
