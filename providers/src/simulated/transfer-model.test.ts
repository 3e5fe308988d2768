import { ProviderError } from '../errors.ts';
import { TransferModel, type TransferModelContext } from './transfer-model.ts';

/** The model alone, on a clock the spec moves. */
function model(timeScale = 1) {
  let now = Date.parse('2026-03-07T22:00:00+08:00');
  const down = new Set<string>();
  const ctx: TransferModelContext = {
    now: () => now, timeScale, zones: ['az1', 'az2'], zoneDown: (z) => down.has(z),
    error: (op, code, message, reason) => new ProviderError({ provider: 'sim', op, code, message, ...(reason ? { reason } : {}) }),
  };
  return { m: new TransferModel(() => ctx), advance: (ms: number) => (now += ms), down };
}
const copy = { system: 'gft', fromCloud: 'jx-province', zone: 'az1', dataGiB: 1024, gbps: 1 };

describe('simulated cloud: migration transfers', () => {
  it('copies at the link\'s rate: 1 TiB over 1 Gbit/s takes about 2.44 hours', () => {
    const { m, advance } = model();
    m.apply('startCopy', copy);
    advance(3600_000);
    const half = m.snapshot()[0]!.copy!;
    expect(half.copiedGiB).toBeCloseTo(419.1, 0);
    expect(half.done).toBeFalse();
    expect(half.etaSeconds / 3600).toBeCloseTo(1.443, 2);
    advance(1.5 * 3600_000);
    expect(m.snapshot()[0]!.copy).toEqual(jasmine.objectContaining({ copiedGiB: 1024, done: true, etaSeconds: 0 }));
  });

  it('runs faster by the cloud\'s timeScale', () => {
    const { m, advance } = model(0.001);
    m.apply('startCopy', copy);
    advance(9_000); // 9 s of clock = 9,000 s of copy
    expect(m.snapshot()[0]!.copy!.done).toBeTrue();
  });

  it('refuses to cut over before the copy is complete, then cuts over with the entries', () => {
    const { m, advance } = model();
    m.apply('startCopy', copy);
    const entries = [{ kind: 'dns' as const, name: 'gft.jiangxi.gov.cn', value: '10.36.1.20' }];
    expect(() => m.apply('cutOver', { system: 'gft', zone: 'az1', entries })).toThrowMatching((e) => e instanceof ProviderError && e.code === 'conflict' && /not complete/.test(e.message));
    advance(3 * 3600_000);
    expect(m.apply('cutOver', { system: 'gft', zone: 'az1', entries }).value.outcome).toBe('done');
    expect(m.apply('cutOver', { system: 'gft', zone: 'az1', entries }).value.outcome).toBe('already');
    expect(m.snapshot()[0]).toEqual(jasmine.objectContaining({ servingHere: true, entries }));
  });

  it('undoes every step: revert the cut-over, cancel the copy, thaw the source', () => {
    const { m, advance } = model();
    m.apply('freezeSource', { system: 'old' });
    expect(m.snapshot()).toEqual([jasmine.objectContaining({ system: 'old', frozen: true })]);
    m.apply('startCopy', copy);
    advance(3 * 3600_000);
    m.apply('cutOver', { system: 'gft', zone: 'az1', entries: [] });
    expect(() => m.apply('cancelCopy', { system: 'gft', zone: 'az1' })).toThrowMatching((e) => /revert the cut-over first/.test(e.message));
    expect(m.apply('revertCutOver', { system: 'gft', zone: 'az1' }).value.outcome).toBe('done');
    expect(m.apply('cancelCopy', { system: 'gft', zone: 'az1' }).value.outcome).toBe('done');
    expect(m.apply('cancelCopy', { system: 'gft', zone: 'az1' }).value.outcome).toBe('already');
    expect(m.apply('thawSource', { system: 'old' }).value.outcome).toBe('done');
    expect(m.snapshot()).toEqual([]);
  });

  it('refuses a second copy of the same system from elsewhere, and a zone that is down', () => {
    const { m, down } = model();
    m.apply('startCopy', copy);
    expect(m.apply('startCopy', copy).value.outcome).toBe('already');
    expect(() => m.apply('startCopy', { ...copy, fromCloud: 'nanchang' })).toThrowMatching((e) => e.code === 'conflict');
    down.add('az2');
    expect(() => m.apply('startCopy', { ...copy, system: 'x', zone: 'az2' })).toThrowMatching((e) => e.code === 'unavailable' && e.reason === 'zone-down');
  });
});
