import { WAVE_STATUS_COLOR, waveStatusColor } from './migrations-format';

describe('waveStatusColor', () => {
  it('colours every wave status', () => {
    expect(waveStatusColor('planned')).toBe('default');
    expect(waveStatusColor('prechecked')).toBe('cyan');
    expect(waveStatusColor('running')).toBe('processing');
    expect(waveStatusColor('verified')).toBe('green');
    expect(waveStatusColor('rolled-back')).toBe('orange');
    expect(waveStatusColor('failed')).toBe('red');
    expect(waveStatusColor('superseded')).toBe('default');
  });

  it('keeps prechecked and running apart, and greys a status it does not know', () => {
    expect(WAVE_STATUS_COLOR.prechecked).not.toBe(WAVE_STATUS_COLOR.running);
    expect(waveStatusColor('paused')).toBe('default');
    expect(waveStatusColor('constructor')).toBe('default');
  });
});
