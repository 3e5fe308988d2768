import { createServer, type AddressInfo } from 'node:net';
import { machine } from 'node:os';
import { scanHostKey } from '@ganyun/providers';
import type { DeviceEmulator } from '@ganyun/providers/ssh/device-emulator.ts';
import type { AppDeps } from '../context.ts';
import { EMULATOR_PASSWORD, EMULATOR_USER, newHostKey, startEmulator, startTestSshd, testSshdForSuite } from '../testing/device-fixtures.ts';
import { auditTrail, callerAs, errorOf, freshDeps, seedDepartment, seedUser } from '../testing/harness.ts';

type Caller = Awaited<ReturnType<typeof callerAs>>;

const basics = (id: string) => ({
  id, name: `设备 ${id}`, nameEn: `Device ${id}`, region: '3601', kind: 'general' as const, siteRoles: ['production' as const], certifications: [3],
});

/** What a refused call must leave exactly as it was. */
async function stored(deps: AppDeps) {
  const [row] = await deps.store.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM clouds) AS clouds, (SELECT count(*)::int FROM ssh_known_hosts) AS pins,
            (SELECT count(*)::int FROM inventory_objects) AS objects, (SELECT count(*)::int FROM probe_results) AS probes`,
  );
  return row!;
}

/** Connections refused for a changed host key (every one counted; only the alarm is audited). */
async function refusedCount(deps: AppDeps): Promise<number> {
  const m = await deps.metrics.registry.getSingleMetric('ganyun_ssh_host_key_refused_connections_total')?.get();
  return (m?.values ?? []).reduce((n, v) => n + v.value, 0);
}

describe('devices: network devices (device EMULATOR)', () => {
  let deps: AppDeps & { logs: { text: string } };
  let admin: Caller;
  let emulator: DeviceEmulator;
  let port: number;
  const vrp = (over: Record<string, unknown> = {}) => ({
    ...basics('sw-core'), providerKind: 'network-device' as const, host: '127.0.0.1', port, username: EMULATOR_USER, vendor: 'huawei-vrp' as const,
    credential: { type: 'password' as const, password: EMULATOR_PASSWORD }, ...over,
  });
  /** The two admin steps: scan the key, accept it. */
  async function acceptKey(): Promise<string> {
    const scan = await admin.devices.scanHostKey({ host: '127.0.0.1', port });
    await admin.devices.acceptHostKey({ host: '127.0.0.1', port, fingerprint: scan.fingerprint });
    return scan.fingerprint;
  }

  beforeEach(async () => {
    deps = await freshDeps();
    admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
    ({ emulator, port } = await startEmulator('huawei-vrp'));
  });
  afterEach(async () => {
    await deps.federation.stop();
    await emulator.close();
  });

  it('refuses an unknown host key with its fingerprint; after the admin accepts it, registers and shows interfaces and VPN instances', async () => {
    const { fingerprint } = await scanHostKey('127.0.0.1', port);
    const refused = await errorOf(() => admin.devices.registerDevice(vrp()));
    expect([refused.code, Object.keys(refused.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['host']]);
    expect(refused.message).toContain(fingerprint);
    expect(await stored(deps)).toEqual({ clouds: 0, pins: 0, objects: 0, probes: 0 });

    const scan = await admin.devices.scanHostKey({ host: '127.0.0.1', port });
    expect([scan.status, scan.fingerprint, scan.pinned]).toEqual(['unknown', fingerprint, null]);
    await acceptKey();
    const created = await admin.devices.registerDevice(vrp());
    expect([created.id, created.providerKind, created.endpoint]).toEqual(['sw-core', 'network-device', `ssh://${EMULATOR_USER}@127.0.0.1:${port}`]);

    const facts = await admin.devices.facts({ id: 'sw-core' });
    expect(facts.pinnedKey?.fingerprint).toBe(fingerprint);
    expect(facts.ssh).toEqual({ host: '127.0.0.1', port, username: EMULATOR_USER, vendor: 'huawei-vrp', session: 'shell' });
    expect(facts.interfaces.length).toBeGreaterThan(3);
    expect(facts.interfaces.some((i) => i.ipv6.length > 0)).withContext('IPv6 addresses merged into the interface rows').toBeTrue();
    expect(facts.vpnInstances.map((v) => v.name).length).toBeGreaterThan(0);
    expect(JSON.stringify(facts)).not.toContain(EMULATOR_PASSWORD);

    // Like any other cloud: health, sync, provider call metrics.
    expect((await admin.clouds.checkHealth({ id: 'sw-core' })).status).toBe('up');
    const sync = await deps.federation.sync('sw-core', 'full');
    expect(sync instanceof Error ? sync.message : sync.counts).toEqual({ created: 0, updated: 0, deleted: 0 });
    const metrics = await deps.metrics.registry.getSingleMetricAsString('ganyun_provider_call_duration_seconds');
    expect(metrics).toContain('provider="sw-core",op="health",outcome="ok"');
    expect(metrics).toContain('provider="sw-core",op="inventory",outcome="ok"');
  });

  it('a changed host key is refused everywhere and raises one stored, audited alarm (refusals counted) until an admin re-accepts', async () => {
    const oldFingerprint = await acceptKey();
    await admin.devices.registerDevice(vrp());
    const before = await stored(deps);
    // The "device" is replaced by another machine on the same address.
    await emulator.close();
    ({ emulator } = await startEmulator('huawei-vrp', { port, hostKey: newHostKey() }));
    const { fingerprint: newFingerprint } = await scanHostKey('127.0.0.1', port);

    const health = await admin.clouds.checkHealth({ id: 'sw-core' });
    expect([health.status, health.message]).toEqual(['down', jasmine.stringContaining('host-key-changed')]);
    const sync = await deps.federation.sync('sw-core', 'full');
    expect(sync instanceof Error ? (sync as { reason?: string }).reason : 'succeeded').toBe('host-key-changed');
    const probe = await admin.devices.runProbe({ cloudId: 'sw-core', target: '10.0.0.1', count: 1 });
    expect([probe.outcome, probe.errorCode]).toEqual(['error', 'auth/host-key-changed']);
    // A second registration at the same address is refused too, and stores nothing.
    const refused = await errorOf(() => admin.devices.registerDevice(vrp({ id: 'sw-core-2' })));
    expect([refused.code, Object.keys(refused.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['host']]);
    expect(refused.message).toContain(newFingerprint);
    await deps.federation.hostKeyAlarms.settled();
    expect(await stored(deps)).toEqual({ ...before, probes: 1 });
    expect(emulator.commands).withContext('no command ever reached the impostor').toEqual([]);

    const [alarm, ...others] = (await admin.devices.alarms({ open: true })).items;
    expect(others).toEqual([]);
    expect([alarm!.expectedFingerprint, alarm!.presentedFingerprint, alarm!.occurrences >= 3]).toEqual([oldFingerprint, newFingerprint, true]);
    expect(await refusedCount(deps)).toBe(alarm!.occurrences);
    expect((await admin.devices.facts({ id: 'sw-core' })).openAlarms.length).toBe(1);
    const audited = (await auditTrail(deps)).filter((r) => r.procedure === 'ssh.hostKeyChanged');
    expect(audited.length).withContext('the alarm is audited once, not each refusal').toBe(1);
    expect(audited[0]!.after).toEqual(jasmine.objectContaining({ fingerprint: newFingerprint }));
    expect((await admin.devices.scanHostKey({ host: '127.0.0.1', port })).status).toBe('changed');

    // Re-accepting a typo changes nothing; the right key resolves the alarm and the device works again.
    const typo = `SHA256:${'A'.repeat(43)}`;
    const wrong = await errorOf(() => admin.devices.acceptHostKey({ host: '127.0.0.1', port, fingerprint: typo }));
    expect(Object.keys(wrong.fieldErrors ?? {})).toEqual(['fingerprint']);
    expect((await admin.devices.knownHosts()).items.map((k) => k.fingerprint)).toEqual([oldFingerprint]);
    const accepted = await admin.devices.acceptHostKey({ host: '127.0.0.1', port, fingerprint: newFingerprint });
    expect([accepted.replaced, accepted.resolvedAlarms]).toEqual([oldFingerprint, 1]);
    expect((await admin.devices.alarms({ open: true })).items).toEqual([]);
    expect((await admin.clouds.checkHealth({ id: 'sw-core' })).status).toBe('up');
  });

  const failures: [string, (e: DeviceEmulator) => void, Record<string, unknown>, string, RegExp][] = [
    ['a wrong password', () => undefined, { credential: { type: 'password', password: 'Not-The-Password-1' } }, 'credential', /refused the credential/],
    ['a device that refuses every password', (e) => (e.mode = 'reject-auth'), {}, 'credential', /refused the credential/],
    ['truncated output', (e) => (e.mode = 'truncate'), {}, 'vendor', /truncated-output/],
    ['a device that hangs', (e) => (e.mode = 'hang'), {}, 'host', /did not answer in time/],
    ['the wrong vendor (Comware parsers on VRP output)', () => undefined, { vendor: 'h3c-comware' }, 'vendor', /expected format|rejected/],
  ];
  for (const [why, misbehave, over, field, message] of failures) {
    it(`${why}: a clear error on the field to fix, nothing stored, no secret in log or audit`, async () => {
      await acceptKey();
      const before = await stored(deps);
      misbehave(emulator);
      const e = await errorOf(() => admin.devices.registerDevice(vrp(over)));
      expect([e.code, Object.keys(e.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', [field]]);
      expect(e.message).toMatch(message);
      expect(await stored(deps)).toEqual(before);
      expect(() => deps.federation.provider('sw-core')).toThrow();
      const trail = JSON.stringify(await auditTrail(deps));
      for (const secret of [EMULATOR_PASSWORD, 'Not-The-Password-1']) {
        expect(trail).not.toContain(secret);
        expect(deps.logs.text).not.toContain(secret);
      }
    }, 20_000);
  }

  it('clouds.update renames a device and keeps its connection; its connection settings cannot be changed there', async () => {
    await acceptKey();
    await admin.devices.registerDevice(vrp());
    const renamed = await admin.clouds.update({ id: 'sw-core', name: '核心交换机（改）' });
    expect([renamed.name, renamed.endpoint]).toEqual(['核心交换机（改）', `ssh://${EMULATOR_USER}@127.0.0.1:${port}`]);
    expect((await admin.clouds.checkHealth({ id: 'sw-core' })).status).toBe('up');
    const e = await errorOf(() => admin.clouds.update({ id: 'sw-core', token: 'x' }));
    expect(Object.keys(e.fieldErrors ?? {})).toEqual(['token']);
  });

  it('a probe waiting on a hung device holds no transaction: other work goes on meanwhile, the error is stored after', async () => {
    await acceptKey();
    await admin.devices.registerDevice(vrp());
    emulator.mode = 'hang';
    const finished: string[] = [];
    const probe = admin.devices.runProbe({ cloudId: 'sw-core', target: '10.0.0.1', count: 1 }).then((p) => { finished.push('probe'); return p; });
    await new Promise((r) => setTimeout(r, 300)); // the probe is now waiting on the device
    // On the embedded store a transaction held across the wait would block this write until the probe timed out.
    await admin.users.create({ username: 'while-probing', displayName: 'While probing', roles: ['auditor'], departmentId: null, password: 'Correct-Horse-9' })
      .then(() => finished.push('other write'));
    const record = await probe;
    expect(finished).toEqual(['other write', 'probe']);
    expect([record.outcome, record.errorCode?.split('/')[0]]).toEqual(['error', 'timeout']);
    expect((await stored(deps))['probes']).toBe(1);
    expect((await auditTrail(deps)).filter((r) => r.procedure === 'devices.runProbe').map((r) => r.outcome)).toEqual(['ok']);
  }, 40_000);

  for (const mode of ['truncate', 'hang'] as const) {
    it(`a sync that meets a device that ${mode === 'hang' ? 'hangs' : 'cuts its answer'} fails typed and leaves the stored inventory as it was`, async () => {
      await acceptKey();
      await admin.devices.registerDevice(vrp());
      const inventory = () => deps.store.query<{ key: string; revision: string; deleted: boolean }>(
        'SELECT key, revision::text AS revision, deleted_at IS NOT NULL AS deleted FROM inventory_objects WHERE cloud_id = $1 ORDER BY key', ['sw-core']);
      const before = await inventory();
      emulator.mode = mode;
      const sync = await deps.federation.sync('sw-core', 'full');
      expect(sync instanceof Error ? [(sync as { code?: string }).code, (sync as { reason?: string }).reason] : 'succeeded')
        .toEqual(mode === 'hang' ? ['timeout', jasmine.any(String)] : ['garbage', 'truncated-output']);
      expect(await inventory()).toEqual(before);
      const [run] = (await admin.clouds.get({ id: 'sw-core' })).syncs;
      expect([run?.status, run?.error?.split(':')[0]]).toEqual(['failed', mode === 'hang' ? 'timeout' : 'garbage']);
    }, 30_000);
  }

  it('rotates the credential only after the new one connected; a refused one changes nothing and is never recorded', async () => {
    await acceptKey();
    await admin.devices.registerDevice(vrp());
    const sealed = () => deps.store.query<{ credentials: string }>('SELECT credentials FROM clouds WHERE id = $1', ['sw-core']).then((r) => r[0]!.credentials);
    const before = await sealed();
    const wrong = await errorOf(() => admin.devices.rotateCredential({ id: 'sw-core', credential: { type: 'password', password: 'Rotated-Wrong-1' } }));
    expect([wrong.code, Object.keys(wrong.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['credential']]);
    const kind = await errorOf(() => admin.devices.rotateCredential({ id: 'sw-core', credential: { type: 'token', token: 'a-cluster-token' } }));
    expect(Object.keys(kind.fieldErrors ?? {})).toEqual(['credential']);
    expect(await sealed()).toBe(before);
    expect((await admin.clouds.checkHealth({ id: 'sw-core' })).status).toBe('up');
    const ok = await admin.devices.rotateCredential({ id: 'sw-core', credential: { type: 'password', password: EMULATOR_PASSWORD } });
    expect(ok.credentialType).toBe('password');
    expect(await sealed()).not.toBe(before);
    expect((await admin.clouds.checkHealth({ id: 'sw-core' })).status).toBe('up');
    const trail = JSON.stringify(await auditTrail(deps));
    for (const secret of ['Rotated-Wrong-1', 'a-cluster-token', EMULATOR_PASSWORD]) {
      expect(trail).not.toContain(secret);
      expect(deps.logs.text).not.toContain(secret);
    }
  });

  it('a port that accepts TCP but never speaks SSH: a timeout on the host field, nothing stored', async () => {
    const silent = createServer(() => undefined); // accepts, never sends an SSH banner
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const silentPort = (silent.address() as AddressInfo).port;
      const before = await stored(deps);
      const scan = await errorOf(() => admin.devices.scanHostKey({ host: '127.0.0.1', port: silentPort }));
      expect(Object.keys(scan.fieldErrors ?? {})).toEqual(['host']);
      await deps.store.query('INSERT INTO ssh_known_hosts (host, port, fingerprint, accepted_by) VALUES ($1, $2, $3, $4)', ['127.0.0.1', silentPort, `SHA256:${'B'.repeat(43)}`, 'spec']);
      const e = await errorOf(() => admin.devices.registerDevice(vrp({ port: silentPort })));
      expect([e.code, Object.keys(e.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['host']]);
      expect(e.message).toMatch(/did not answer in time/);
      expect(await stored(deps)).toEqual({ ...before, pins: before['pins']! + 1 });
    } finally {
      silent.close();
    }
  }, 30_000);

  it('H3C Comware over exec channels: registers with its own commands and parsers', async () => {
    await emulator.close();
    ({ emulator, port } = await startEmulator('h3c-comware'));
    await acceptKey();
    await admin.devices.registerDevice(vrp({ vendor: 'h3c-comware', session: 'exec' }));
    expect(emulator.commands).toEqual(['display interface brief', 'display ipv6 interface brief', 'display ip vpn-instance']);
    const facts = await admin.devices.facts({ id: 'sw-core' });
    expect(facts.interfaces.length).toBeGreaterThan(0);
    const probe = await admin.devices.runProbe({ cloudId: 'sw-core', target: '2408:8000::1', count: 2 });
    expect([probe.family, probe.outcome]).toEqual([6, 'reachable']);
    expect((await admin.devices.probes({ cloudId: 'sw-core' })).items.map((p) => p.id)).toEqual([probe.id]);
  });

  it('a VTY that refuses exec: registered in shell mode (the default), refused with exec', async () => {
    await emulator.close();
    ({ emulator, port } = await startEmulator('huawei-vrp', { shellOnly: true }));
    await acceptKey();
    const refused = await errorOf(() => admin.devices.registerDevice(vrp({ session: 'exec' })));
    expect(Object.keys(refused.fieldErrors ?? {})).toEqual(['host']);
    await admin.devices.registerDevice(vrp());
    expect((await admin.devices.facts({ id: 'sw-core' })).vpnInstances.length).toBeGreaterThan(0);
    expect((await admin.devices.runProbe({ cloudId: 'sw-core', target: '10.0.0.1', count: 1 })).outcome).toBe('reachable');
  });

  it('bad input is refused per field by the schema, before anything connects', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ port: 70000 }, 'port'],
      [{ host: 'bad host;rm' }, 'host'],
      [{ vendor: undefined }, 'vendor'],
      [{ credential: { type: 'password', password: '' } }, 'credential.password'],
      [{ credential: { type: 'key', privateKey: 'not a key' } }, 'credential.privateKey'],
      [{ id: 'Bad Id' }, 'id'],
    ];
    for (const [over, field] of cases) {
      const e = await errorOf(() => admin.devices.registerDevice(vrp(over) as never));
      expect(`${field}: ${e.code} ${Object.keys(e.fieldErrors ?? {}).join(',')}`).toBe(`${field}: BAD_REQUEST ${field}`);
    }
    expect(emulator.commands).toEqual([]);
    const probe = await errorOf(() => admin.devices.runProbe({ cloudId: 'sw-core', target: 'example.org' }));
    expect(Object.keys(probe.fieldErrors ?? {})).toEqual(['target']);
  });

  it('only admins register and accept keys; probes are for operators and network engineers; department users see nothing', async () => {
    const dept = await seedDepartment(deps, '南昌市数据局');
    const user = await callerAs(deps, (await seedUser(deps, 'dept-user', ['department-user'], dept.id)).id);
    const auditor = await callerAs(deps, (await seedUser(deps, 'auditor', ['auditor'])).id);
    const engineer = await callerAs(deps, (await seedUser(deps, 'neteng', ['network-engineer'])).id);
    expect((await errorOf(() => engineer.devices.registerDevice(vrp()))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => engineer.devices.acceptHostKey({ host: '127.0.0.1', port, fingerprint: `SHA256:${'A'.repeat(43)}` }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => auditor.devices.runProbe({ cloudId: 'sw-core', target: '10.0.0.1' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => user.devices.probes())).code).toBe('FORBIDDEN');
    expect((await auditor.devices.probes()).items).toEqual([]);
    await acceptKey();
    await admin.devices.registerDevice(vrp());
    expect((await engineer.devices.runProbe({ cloudId: 'sw-core', target: '10.0.0.1', vpnInstance: 'GOV', count: 1 })).requestedBy).toBe('neteng');
  });
});

describe('devices: Linux hosts (real OpenSSH server on loopback)', () => {
  let deps: AppDeps & { logs: { text: string } };
  let admin: Caller;
  const suite = testSshdForSuite();
  beforeEach(async () => {
    deps = await freshDeps();
    admin = await callerAs(deps, (await seedUser(deps, 'root', ['admin'])).id);
  });
  afterEach(() => deps.federation.stop());

  const host = () => ({
    ...basics('host-lo'), providerKind: 'ssh-host' as const, host: '127.0.0.1', port: suite.sshd.port, username: 'root',
    credential: { type: 'key' as const, privateKey: suite.sshd.privateKey },
  });

  it('unknown key refused → accepted → registered with this machine\'s facts; the key never leaves the seal', async () => {
    const refused = await errorOf(() => admin.devices.registerDevice(host()));
    expect(refused.message).toContain(suite.sshd.fingerprint);
    expect(await stored(deps)).toEqual({ clouds: 0, pins: 0, objects: 0, probes: 0 });
    const scan = await admin.devices.scanHostKey({ host: '127.0.0.1', port: suite.sshd.port });
    expect(scan.fingerprint).withContext('the same fingerprint as ssh-keygen -l').toBe(suite.sshd.fingerprint);
    await admin.devices.acceptHostKey({ host: '127.0.0.1', port: suite.sshd.port, fingerprint: scan.fingerprint });
    await admin.devices.registerDevice(host());
    const facts = await admin.devices.facts({ id: 'host-lo' });
    expect(facts.host?.facts.machine).toBe(machine());
    expect(facts.host?.facts.interfaces.some((i) => i.ipv4.some((a) => a.address === '127.0.0.1'))).toBeTrue();
    expect((await admin.clouds.checkHealth({ id: 'host-lo' })).status).toBe('up');
    const probe = await admin.devices.runProbe({ cloudId: 'host-lo', target: '::1', count: 1 });
    expect([probe.outcome, probe.family]).toEqual(['reachable', 6]);
    const keyBody = suite.sshd.privateKey.split('\n')[1]!;
    const [row] = await deps.store.query<{ credentials: string }>('SELECT credentials FROM clouds WHERE id = $1', ['host-lo']);
    for (const where of [row!.credentials, JSON.stringify(await auditTrail(deps)), deps.logs.text, JSON.stringify(facts)]) expect(where).not.toContain(keyBody);
  }, 30_000);

  it('a real sshd restarted with a new host key is refused, alarmed and audited until re-accepted', async () => {
    await admin.devices.acceptHostKey({ host: '127.0.0.1', port: suite.sshd.port, fingerprint: suite.sshd.fingerprint });
    await admin.devices.registerDevice(host());
    const oldFingerprint = suite.sshd.fingerprint;
    suite.sshd.stop();
    suite.sshd = await startTestSshd(suite.sshd.port); // same address, fresh host key (start-test-sshd.sh makes new ones)
    expect(suite.sshd.fingerprint).not.toBe(oldFingerprint);
    // The machine was replaced: the pooled session to the old one goes (sshd's session processes outlive its listener).
    deps.federation.provider('host-lo').features?.hostKeys?.evict();
    const health = await admin.clouds.checkHealth({ id: 'host-lo' });
    expect([health.status, health.message]).toEqual(['down', jasmine.stringContaining('host-key-changed')]);
    await deps.federation.hostKeyAlarms.settled();
    const [alarm] = (await admin.devices.alarms({ open: true })).items;
    expect([alarm?.expectedFingerprint, alarm?.presentedFingerprint]).toEqual([oldFingerprint, suite.sshd.fingerprint]);
    expect((await auditTrail(deps)).some((r) => r.procedure === 'ssh.hostKeyChanged')).toBeTrue();
    await admin.devices.acceptHostKey({ host: '127.0.0.1', port: suite.sshd.port, fingerprint: suite.sshd.fingerprint });
    expect((await admin.devices.alarms({ open: true })).items).toEqual([]);
    // The key now passes; the new server authorises another client key (the script makes a fresh pair), so
    // the next refusal is the credential, no longer the host key.
    const after = await admin.clouds.checkHealth({ id: 'host-lo' });
    expect([after.status, after.message]).toEqual(['down', jasmine.stringContaining('auth-failed')]);
  }, 40_000);

  it('a key the server does not authorise is a credential error, nothing stored', async () => {
    await admin.devices.acceptHostKey({ host: '127.0.0.1', port: suite.sshd.port, fingerprint: suite.sshd.fingerprint });
    const before = await stored(deps);
    const stranger = newHostKey(); // a valid key, just not authorised
    const e = await errorOf(() => admin.devices.registerDevice({ ...host(), credential: { type: 'key', privateKey: stranger } }));
    expect([e.code, Object.keys(e.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['credential']]);
    expect(await stored(deps)).toEqual(before);
  }, 30_000);
});
