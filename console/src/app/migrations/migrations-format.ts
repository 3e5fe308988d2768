import type { WaveStatus } from './migrations-types';

/**
 * A wave's status as a tag colour, the same on the wave page and in a system's migration history: under way is
 * nz's `processing`; prechecked is cyan, so a wave whose checks passed does not look like one that is running
 * (nz's `blue` and `processing` tags are the same blue); waiting and superseded waves are grey.
 */
export const WAVE_STATUS_COLOR: Readonly<Record<WaveStatus, string>> = {
  planned: 'default',
  prechecked: 'cyan',
  running: 'processing',
  verified: 'green',
  'rolled-back': 'orange',
  failed: 'red',
  superseded: 'default',
};

/** The tag colour for a wave's status; grey for one this console does not know yet. */
export function waveStatusColor(status: string): string {
  return Object.hasOwn(WAVE_STATUS_COLOR, status) ? WAVE_STATUS_COLOR[status as WaveStatus] : 'default';
}
