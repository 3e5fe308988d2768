import { scanHostKey } from '@ganyun/providers';
import type { DeviceEmulator } from '@ganyun/providers/ssh/device-emulator.ts';
import type { AppDeps } from '../context.ts';
import { auditTrail, callerAs, freshDeps, seedUser } from '../testing/harness.ts';
import { EMULATOR_PASSWORD, EMULATOR_USER, deviceBasics, newHostKey, startEmulator } from '../testing/device-fixtures.ts';

/** Sum of a counter's values for one cloud. */
async function counted(deps: AppDeps, name: string, cloud: string): Promise<number> {
  const m = await deps.metrics.registry.getSingleMetric(name)?.get();
  return (m?.values ?? []).filter((v) => v.labels['cloud'] === cloud).reduce((n, v) => n + v.value, 0);
}

describe('host-key alarms (issue 17.6): one alarm per device per key change, refusals counted in metrics', () => {
  let deps: AppDeps & { logs: { text: string } };
  let admin: Awaited<ReturnType<typeof callerAs>>;
  let emulator: DeviceEmulator;
  let port: number;

  /** The device at the same address is replaced by a machine with another key; returns that key's fingerprint. */
  async function replaceDevice(): Promise<string> {
    await emulator.close();
    ({ emulator } = await startEmulator('huawei-vrp', { port, hostKey: newHostKey() }));
    return (await scanHostKey('127.0.0.1', port)).fingerprint;
  }

  /**
   * `n` connections, one after the other (each a new SSH session: a refused one is never pooled), as health checks
   * through the device's resilient provider (a refused host key is not a failure that opens its circuit).
   */
  async function connect(n: number): Promise<string[]> {
    const device = deps.federation.provider('sw-edge');
    const reasons: string[] = [];
    for (let i = 0; i < n; i++) reasons.push(await device.health().then(() => 'ok', (e: unknown) => String((e as { reason?: string }).reason)));
    await deps.federation.hostKeyAlarms.settled();
    return reasons;
  }

  const hostKeyAudits = async () => (await auditTrail(deps)).filter((r) => r.procedure === 'ssh.hostKeyChanged');

  beforeEach(async () => {
    deps = await freshDeps();
    admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    ({ emulator, port } = await startEmulator('huawei-vrp'));
    const scan = await admin.devices.scanHostKey({ host: '127.0.0.1', port });
    await admin.devices.acceptHostKey({ host: '127.0.0.1', port, fingerprint: scan.fingerprint });
    const { dualActive: _d, enabled: _e, ...basics } = deviceBasics('sw-edge');
    await admin.devices.registerDevice({
      ...basics, providerKind: 'network-device', host: '127.0.0.1', port, username: EMULATOR_USER, vendor: 'huawei-vrp',
      credential: { type: 'password', password: EMULATOR_PASSWORD },
    });
  }, 60_000);
  afterEach(async () => {
    await deps.federation.stop();
    await emulator.close();
  });

  it('100 refused connections leave one alarm audit entry and count 100; the operator’s acceptance is audited; a later change raises a new alarm', async () => {
    const firstKey = (await admin.devices.knownHosts()).items[0]!.fingerprint;
    const secondKey = await replaceDevice();
    const trailBefore = (await auditTrail(deps)).length;

    const reasons = await connect(100);
    expect(new Set(reasons)).toEqual(new Set(['host-key-changed']));
    expect(emulator.commands).withContext('no command reached the impostor').toEqual([]);

    const audited = await hostKeyAudits();
    expect(audited.length).withContext('one audit entry for the alarm, none per refusal').toBe(1);
    expect((await auditTrail(deps)).length - trailBefore).withContext('nothing else was audited for the refusals').toBe(1);
    expect([audited[0]!.outcome, audited[0]!.before, audited[0]!.after]).toEqual([
      'error', { fingerprint: firstKey }, jasmine.objectContaining({ fingerprint: secondKey, cloudId: 'sw-edge' }),
    ]);
    expect(await counted(deps, 'ganyun_ssh_host_key_refused_connections_total', 'sw-edge')).toBe(100);
    expect(await counted(deps, 'ganyun_ssh_host_key_alarms_total', 'sw-edge')).toBe(1);
    const [alarm, ...others] = (await admin.devices.alarms({ open: true })).items;
    expect(others).toEqual([]);
    expect([alarm!.expectedFingerprint, alarm!.presentedFingerprint, alarm!.occurrences]).toEqual([firstKey, secondKey, 100]);
    expect(deps.logs.text.split('alarm raised').length - 1).withContext('one warning for the alarm').toBe(1);

    // The operator's decision: the new key is accepted. It is audited, with the alarm it resolves.
    const accepted = await admin.devices.acceptHostKey({ host: '127.0.0.1', port, fingerprint: secondKey });
    expect(accepted.resolvedAlarms).toBe(1);
    const decision = (await auditTrail(deps)).filter((r) => r.procedure === 'devices.acceptHostKey').at(-1)!;
    expect([decision.outcome, decision.actor, decision.before, decision.after]).toEqual([
      'ok', 'root', { fingerprint: firstKey }, { fingerprint: secondKey, resolvedAlarms: 1 },
    ]);
    expect(await connect(3)).toEqual(['ok', 'ok', 'ok']);
    expect((await admin.devices.alarms({ open: true })).items).toEqual([]);

    // Another change later: a new alarm, audited once more, however many connections it refuses.
    const thirdKey = await replaceDevice();
    expect(new Set(await connect(5))).toEqual(new Set(['host-key-changed']));
    const again = await hostKeyAudits();
    expect(again.length).toBe(2);
    expect([again[1]!.before, again[1]!.after]).toEqual([{ fingerprint: secondKey }, jasmine.objectContaining({ fingerprint: thirdKey })]);
    const [open] = (await admin.devices.alarms({ open: true })).items;
    expect([open!.expectedFingerprint, open!.presentedFingerprint, open!.occurrences, open!.id === alarm!.id]).toEqual([secondKey, thirdKey, 5, false]);
    expect(await counted(deps, 'ganyun_ssh_host_key_refused_connections_total', 'sw-edge')).toBe(105);
    expect(await counted(deps, 'ganyun_ssh_host_key_alarms_total', 'sw-edge')).toBe(2);
  }, 120_000);
});
