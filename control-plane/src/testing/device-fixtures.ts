/**
 * Test support for SSH-managed clouds: a real OpenSSH server on loopback (scripts/start-test-sshd.sh, as CI
 * runs it) and the device EMULATOR (ssh2 Server answering VRP / Comware samples). Specs only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fingerprintOfPublicKeyLine, scanHostKey, type DeviceVendor } from '@ganyun/providers';
import { DeviceEmulator, emulatorHostKey } from '@ganyun/providers/ssh/device-emulator.ts';
import type { AppDeps } from '../context.ts';
import { registerDevice, type DeviceRegistration } from '../federation/device-registration.ts';
import { knownHostsRepo } from '../federation/known-hosts-repo.ts';
import { freePort } from './processes.ts';

const SSHD = '/usr/sbin/sshd';
const SCRIPT = fileURLToPath(new URL('../../../scripts/start-test-sshd.sh', import.meta.url));
export const EMULATOR_USER = 'ganyun';
export const EMULATOR_PASSWORD = 'Emulated-Secret-42';

export interface TestSshd {
  port: number;
  fingerprint: string;
  privateKey: string;
  stop(): void;
}

/** A real OpenSSH server on 127.0.0.1 (CI installs openssh-server; without it the spec fails loudly). */
export async function startTestSshd(onPort?: number): Promise<TestSshd> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install openssh-server (see .ci/run)`);
  const port = onPort ?? (await freePort());
  const dir = execFileSync('bash', [SCRIPT, String(port)], { encoding: 'utf8' }).trim();
  return {
    port,
    fingerprint: fingerprintOfPublicKeyLine(readFileSync(`${dir}/host_key.pub`, 'utf8')),
    privateKey: readFileSync(`${dir}/client_key`, 'utf8'),
    stop() {
      try {
        process.kill(Number(readFileSync(`${dir}/sshd.pid`, 'utf8').trim()));
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * In a describe: one real OpenSSH server for its specs, started before the first (30 s allowed) and stopped after
 * the last. A spec may replace `sshd` (a restart with a new host key); the one there at the end is stopped.
 */
export function testSshdForSuite(): { sshd: TestSshd } {
  const suite = {} as { sshd: TestSshd };
  beforeAll(async () => {
    suite.sshd = await startTestSshd();
  }, 30_000);
  afterAll(() => suite.sshd?.stop());
  return suite;
}

/** A fresh ed25519 key (drawn again when ssh2 produces one it cannot parse: mscdex/ssh2#1513). */
export function newHostKey(): string {
  return emulatorHostKey();
}

/** A device EMULATOR on a loopback port (the same port again after a restart with another host key). */
export async function startEmulator(
  vendor: DeviceVendor,
  opts: { hostKey?: string; port?: number; responseDelayMs?: number; shellOnly?: boolean } = {},
): Promise<{ emulator: DeviceEmulator; port: number }> {
  const emulator = new DeviceEmulator({
    vendor, hostKey: opts.hostKey ?? newHostKey(), username: EMULATOR_USER, password: EMULATOR_PASSWORD, responseDelayMs: opts.responseDelayMs ?? 0,
    ...(opts.shellOnly ? { shellOnly: true } : {}),
  });
  const port = await emulator.listen(opts.port);
  return { emulator, port };
}

export const deviceBasics = (id: string) => ({
  id, name: `测试设备 ${id}`, nameEn: `Test device ${id}`, region: '3601', kind: 'general' as const,
  siteRoles: ['production' as const], certifications: [3], dualActive: false, enabled: true,
});

/** Pins `fingerprint` and registers the cloud, as an admin would in two steps. */
export async function pinAndRegister(deps: AppDeps, fingerprint: string, reg: DeviceRegistration): Promise<void> {
  await knownHostsRepo.accept(deps.store, { host: reg.ssh.host, port: reg.ssh.port, fingerprint, acceptedBy: 'spec' });
  await registerDevice(deps, reg);
}

/**
 * A device EMULATOR registered as the cloud `cloudId` (a network device on loopback, its host key pinned, as an
 * admin would scan, accept and register it), with its counters zeroed after the registration's own sessions.
 */
export async function registerEmulatedDevice(deps: AppDeps, cloudId: string, vendor: DeviceVendor = 'huawei-vrp'): Promise<DeviceEmulator> {
  const { emulator, port } = await startEmulator(vendor);
  const { fingerprint } = await scanHostKey('127.0.0.1', port);
  await pinAndRegister(deps, fingerprint, {
    ...deviceBasics(cloudId), providerKind: 'network-device',
    ssh: { host: '127.0.0.1', port, username: EMULATOR_USER, vendor },
    credential: { type: 'password', password: EMULATOR_PASSWORD },
  });
  emulator.resetCounters();
  return emulator;
}
