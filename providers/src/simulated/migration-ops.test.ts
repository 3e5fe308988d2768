import { isProviderError } from '../errors.ts';
import { SimClock } from './clock.ts';
import { smallProvider, TEST_EPOCH_MS } from '../testing/small-clouds.ts';

/** The migration capability through the simulated provider: declared as data, idempotent, observable by key. */
describe('simulated cloud: migration operations', () => {
  const copy = { system: 'gft', fromCloud: 'jx-province', zone: 'az1', dataGiB: 100, gbps: 1 };

  it('declares every migration operation as a capability', async () => {
    expect((await smallProvider().connect()).capabilities.migration?.operations).toEqual(['startCopy', 'cancelCopy', 'freezeSource', 'thawSource', 'cutOver', 'revertCutOver']);
  });

  it('does the work once per idempotency key, and says so for a replay', async () => {
    const p = smallProvider();
    expect((await p.migration.run('startCopy', copy, { idempotencyKey: 'k1' })).outcome).toBe('done');
    expect((await p.migration.run('startCopy', copy, { idempotencyKey: 'k1' })).outcome).toBe('done');
    expect(p.cloud.callsByIdempotencyKey('k1')).toBe(2);
    expect(p.cloud.effectsByIdempotencyKey('k1')).toBe(1);
    await expectAsync(p.migration.run('startCopy', { ...copy, dataGiB: 5 }, { idempotencyKey: 'k1' })).toBeRejectedWith(jasmine.objectContaining({ code: 'conflict', reason: 'idempotency-key-reuse' }));
  });

  it('tells what became of a call whose answer was lost', async () => {
    const p = smallProvider();
    p.setFaults({ lostResponseRate: 1, ops: ['freezeSource'] });
    const lost = await p.migration.run('freezeSource', { system: 'gft' }, { idempotencyKey: 'f1' }).catch((e: unknown) => e);
    expect(isProviderError(lost) && lost.code === 'timeout').toBeTrue();
    expect(await p.migration.observeByKey({ idempotencyKey: 'f1', op: 'freezeSource' })).toEqual({ status: 'applied', op: 'freezeSource', result: { outcome: 'done' } });
    expect(await p.migration.observeByKey({ idempotencyKey: 'never', op: 'freezeSource' })).toEqual({ status: 'not-applied' });
    expect((await p.migration.state())[0]).toEqual(jasmine.objectContaining({ system: 'gft', frozen: true }));
  });

  it('models the copy\'s duration on the cloud\'s clock (100 GiB over 1 Gbit/s: about 14 minutes)', async () => {
    const clock = new SimClock({ frozenAt: TEST_EPOCH_MS });
    const p = smallProvider({ clock });
    await p.migration.run('startCopy', copy, { idempotencyKey: 'c' });
    clock.advance(10 * 60_000);
    const mid = (await p.migration.state())[0]!.copy!;
    expect(mid.done).toBeFalse();
    expect(mid.etaSeconds).toBeGreaterThan(200);
    await expectAsync(p.migration.run('cutOver', { system: 'gft', zone: 'az1', entries: [] }, { idempotencyKey: 'x1' })).toBeRejectedWith(jasmine.objectContaining({ code: 'conflict', reason: 'copy-incomplete' }));
    clock.advance(5 * 60_000);
    expect((await p.migration.state())[0]!.copy!.done).toBeTrue();
    expect((await p.migration.run('cutOver', { system: 'gft', zone: 'az1', entries: [{ kind: 'dns', name: 'gft.jiangxi.gov.cn', value: '10.36.0.9' }] }, { idempotencyKey: 'x2' })).outcome).toBe('done');
  });
});
