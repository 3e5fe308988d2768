/**
 * SSH-managed devices at extranet scale, through the control plane's real code (registration, inventory sync,
 * runProbe) against device EMULATORS on loopback (ssh2 Server answering VRP / Comware samples; half of them
 * shell-only VTYs) on an in-memory PGlite store: registration time per device, a full inventory sync of all
 * devices at once, probe throughput and latency with pooled sessions, and how long a changed host key takes
 * to become a stored alarm.
 *
 *   npm run bench -- devices        (writes bench/results/devices.json)
 */
import { randomBytes } from 'node:crypto';
import { scanHostKey } from '@ganyun/providers';
import { DeviceEmulator, emulatorHostKey } from '@ganyun/providers/ssh/device-emulator.ts';
import { AuditLog } from '../control-plane/src/audit/audit-log.ts';
import { registerDevice } from '../control-plane/src/federation/device-registration.ts';
import { Federation } from '../control-plane/src/federation/federation.ts';
import { knownHostsRepo } from '../control-plane/src/federation/known-hosts-repo.ts';
import { runProbe } from '../control-plane/src/federation/probes.ts';
import { createLogger } from '../control-plane/src/logger.ts';
import { createMetrics } from '../control-plane/src/metrics.ts';
import { SealingService } from '../control-plane/src/secrets/sealing.ts';
import { migrate } from '../control-plane/src/store/migrate.ts';
import { openPgliteStore } from '../control-plane/src/store/pglite-store.ts';
import { seedDivisions } from '../control-plane/src/store/reference-data.ts';
import { deriveAuditKeys } from '../control-plane/src/audit/chain.ts';
import { MemoryCheckpointSink } from '../control-plane/src/audit/checkpoints.ts';
import { out, writeResult } from './support/results.ts';

const DEVICES = 40;
const PROBES = 400;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => Math.round(x * 10) / 10;

const store = await openPgliteStore(undefined);
await migrate(store);
await seedDivisions(store);
const metrics = createMetrics();
const log = createLogger('warn');
const audit = new AuditLog(deriveAuditKeys(randomBytes(32)), new MemoryCheckpointSink());
const sealing = new SealingService(randomBytes(32));
const federation = new Federation({ store, sealing, metrics, log, audit }, { fanOutDeadlineMs: 5_000 });
const emulators: DeviceEmulator[] = [];
try {
  out(`starting ${DEVICES} device emulators (VRP and Comware; every other one shell-only)`);
  const devices = await Promise.all(
    Array.from({ length: DEVICES }, async (_, i) => {
      const vendor = i % 2 === 0 ? ('huawei-vrp' as const) : ('h3c-comware' as const);
      const shellOnly = i % 4 < 2;
      const hostKey = emulatorHostKey();
      const emulator = new DeviceEmulator({ vendor, hostKey, username: 'ganyun', password: 'bench-pass-1', shellOnly });
      emulators.push(emulator);
      return { id: `bench-sw-${i}`, vendor, shellOnly, hostKey, port: await emulator.listen(), emulator };
    }),
  );

  // 1. Registration: scan the key, pin it, connect and read the whole inventory, store — one device at a time.
  const regTimes: number[] = [];
  for (const d of devices) {
    const t = performance.now();
    const { fingerprint } = await scanHostKey('127.0.0.1', d.port);
    await knownHostsRepo.accept(store, { host: '127.0.0.1', port: d.port, fingerprint, acceptedBy: 'bench' });
    await registerDevice({ store, federation, sealing }, {
      id: d.id, name: d.id, nameEn: d.id, region: '3601', kind: 'general', siteRoles: ['production'], certifications: [3], dualActive: false, enabled: true,
      providerKind: 'network-device', ssh: { host: '127.0.0.1', port: d.port, username: 'ganyun', vendor: d.vendor, session: d.shellOnly ? 'shell' : 'exec' },
      credential: { type: 'password', password: 'bench-pass-1' },
    });
    regTimes.push(performance.now() - t);
  }
  out(`registration (scan + pin, then connect + inventory + store): p50 ${ms(pct(regTimes, 0.5))} ms, p95 ${ms(pct(regTimes, 0.95))} ms`);
  const byMode = (shell: boolean) => regTimes.filter((_, i) => devices[i]!.shellOnly === shell);
  out(`  exec-channel devices p50 ${ms(pct(byMode(false), 0.5))} ms; shell-only devices p50 ${ms(pct(byMode(true), 0.5))} ms`);

  // 2. Full inventory sync of every device at once.
  const syncStart = performance.now();
  const syncs = await Promise.all(devices.map((d) => federation.sync(d.id, 'full')));
  const syncSeconds = (performance.now() - syncStart) / 1000;
  const failed = syncs.filter((s) => s instanceof Error).length;
  const [objects] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory_objects WHERE deleted_at IS NULL');
  out(`full sync of ${DEVICES} devices: ${syncSeconds.toFixed(2)} s, ${objects!.n} objects, ${failed} failed`);

  // 3. Probes: many at once across the devices (per-device session limit 2), each stored with its time.
  const probeTimes: number[] = [];
  const probeStart = performance.now();
  const probes = await Promise.all(
    Array.from({ length: PROBES }, async (_, i) => {
      const t = performance.now();
      const r = await runProbe({ store, federation, metrics, requestedBy: 'bench' }, { cloudId: devices[i % DEVICES]!.id, target: i % 3 === 0 ? '2408:8000::1' : '10.1.1.1', count: 1, ...(i % 3 === 1 ? { vpnInstance: 'GOV' } : {}) });
      probeTimes.push(performance.now() - t);
      return r;
    }),
  );
  const probeSeconds = (performance.now() - probeStart) / 1000;
  const errors = probes.filter((p) => p.outcome === 'error').length;
  out(`${PROBES} probes: ${(PROBES / probeSeconds).toFixed(0)} probes/s, p50 ${ms(pct(probeTimes, 0.5))} ms, p95 ${ms(pct(probeTimes, 0.95))} ms, ${errors} errors`);

  // 4. A device replaced behind Ganyun's back: time until the refused connection is a stored alarm.
  const victim = devices[0]!;
  await victim.emulator.close();
  const impostor = new DeviceEmulator({ vendor: victim.vendor, hostKey: emulatorHostKey(), username: 'ganyun', password: 'bench-pass-1' });
  emulators.push(impostor);
  await impostor.listen(victim.port);
  federation.provider(victim.id).features?.hostKeys?.evict();
  const alarmStart = performance.now();
  const health = await federation.checkHealth(victim.id);
  await federation.hostKeyAlarms.settled();
  const alarmMs = performance.now() - alarmStart;
  const [alarms] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM ssh_host_key_alarms WHERE resolved_at IS NULL');
  out(`changed host key → refused (${health.status}) and ${alarms!.n} alarm stored in ${ms(alarmMs)} ms; commands the impostor saw: ${impostor.commands.length}`);

  const results = {
    devices: DEVICES,
    registration: { p50Ms: ms(pct(regTimes, 0.5)), p95Ms: ms(pct(regTimes, 0.95)) },
    fullSync: { seconds: Number(syncSeconds.toFixed(2)), objects: objects!.n, failed },
    probes: { count: PROBES, perSecond: Math.round(PROBES / probeSeconds), p50Ms: ms(pct(probeTimes, 0.5)), p95Ms: ms(pct(probeTimes, 0.95)), errors },
    changedHostKey: { alarmMs: ms(alarmMs), status: health.status, impostorCommands: impostor.commands.length },
  };
  writeResult('devices.json', results);
} finally {
  await federation.stop();
  await Promise.all(emulators.map((e) => e.close().catch(() => undefined)));
  await store.close();
}
