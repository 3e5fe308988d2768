import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { arch, machine } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ProviderError } from '../errors.ts';
import { caughtProviderError } from '../testing/counting.ts';
import { linuxCommand, type AllowedCommand, type LinuxCommandRequest } from './command-allowlist.ts';
import { InMemoryKnownHosts, fingerprintOfPublicKeyLine } from './host-keys.ts';
import { archOfNode } from './linux-facts.ts';
import { HostKeyError } from './ssh-errors.ts';
import { SshHostProvider } from './ssh-host-provider.ts';
import { SshSessionPool } from './ssh-session-pool.ts';
import type { SshTarget } from './types.ts';

const SSHD = '/usr/sbin/sshd';
const SCRIPT = fileURLToPath(new URL('../../../scripts/start-test-sshd.sh', import.meta.url));
const PING_INSTALLED = ['/usr/bin/ping', '/bin/ping'].some((p) => existsSync(p));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// CI installs openssh-server (apt); without it this suite fails loudly rather than skipping.
describe('against a real OpenSSH server', () => {
  let dir: string;
  let target: SshTarget;
  let hostFingerprint: string;
  let pool: SshSessionPool;
  let host: SshHostProvider;

  beforeAll(async () => {
    if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: apt-get install openssh-server`);
    const port = await freePort();
    dir = execFileSync('bash', [SCRIPT, String(port)], { encoding: 'utf8' }).trim();
    hostFingerprint = fingerprintOfPublicKeyLine(readFileSync(`${dir}/host_key.pub`, 'utf8'));
    target = { id: 'loopback-host', host: '127.0.0.1', port, username: 'root', credential: { type: 'key', privateKey: readFileSync(`${dir}/client_key`) } };
    const knownHosts = new InMemoryKnownHosts();
    knownHosts.accept('127.0.0.1', port, hostFingerprint);
    pool = new SshSessionPool({ provider: 'jx-province', knownHosts, maxConcurrentPerTarget: 3, connectTimeoutMs: 5000, commandTimeoutMs: 10_000 });
    host = new SshHostProvider(pool, target);
  }, 30_000);

  afterAll(async () => {
    await pool?.close();
    if (dir) {
      try {
        process.kill(Number(readFileSync(`${dir}/sshd.pid`, 'utf8').trim()));
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gathers the facts of this machine with a key credential and a pinned host key', async () => {
    const facts = await host.facts();
    expect(facts.machine).toBe(machine());
    expect(facts.arch).toBe(archOfNode(arch()));
    expect(facts.os.id).toMatch(/^[a-z0-9._-]+$/);
    expect(facts.cpu.count).toBeGreaterThan(0);
    expect(facts.memory.totalBytes).toBeGreaterThan(0);
    const lo = facts.interfaces.find((i) => i.name === 'lo');
    expect(lo?.ipv4.map((a) => a.address)).toContain('127.0.0.1');
    expect(facts.interfaces.flatMap((i) => i.ipv4).length).toBeGreaterThan(0);
    expect(facts.routes.every((r) => r.family === 4 || r.family === 6)).toBe(true);
    expect(pool.openConnections).toBe(1); // eight commands, one pooled session
  }, 30_000);

  for (const probeTarget of ['127.0.0.1', '::1']) {
    it(`probes ${probeTarget} (count 2), or says ping is missing`, async () => {
      if (PING_INSTALLED) {
        const r = await host.probe({ target: probeTarget, count: 2 });
        expect(r).toEqual(jasmine.objectContaining({ target: probeTarget, transmitted: 2, received: 2, lossPercent: 0, reachable: true }));
        expect(r.family).toBe(probeTarget.includes(':') ? 6 : 4);
      } else {
        const e = await caughtProviderError(host.probe({ target: probeTarget, count: 2 }));
        expect([e.code, e.reason, e.retryable]).toEqual(['invalid', 'command-missing', false]);
      }
    }, 20_000);
  }

  it('a command outside the allow-list cannot be expressed, nor smuggled into the pool', async () => {
    expect(() => linuxCommand({ kind: 'shell', text: 'id' } as unknown as LinuxCommandRequest)).toThrowError(ProviderError);
    expect(() => linuxCommand({ kind: 'ping', target: '127.0.0.1 && id', count: 1 })).toThrowError(ProviderError);
    const forged = { text: 'touch /tmp/ganyun-should-not-exist' } as unknown as AllowedCommand;
    const e = await caughtProviderError(pool.exec(target, forged, { op: 'facts' }));
    expect([e.code, e.reason]).toEqual(['invalid', 'not-allow-listed']);
    expect(existsSync('/tmp/ganyun-should-not-exist')).toBe(false);
  });

  it('refuses the real server while its key is not pinned, showing the same fingerprint as ssh-keygen', async () => {
    const unpinned = new SshSessionPool({ provider: 'jx-province', knownHosts: new InMemoryKnownHosts(), connectTimeoutMs: 5000 });
    try {
      const e = await caughtProviderError(new SshHostProvider(unpinned, target).facts());
      expect(e).toBeInstanceOf(HostKeyError);
      expect((e as HostKeyError).presentedFingerprint).toBe(hostFingerprint);
      const keygen = execFileSync('ssh-keygen', ['-l', '-f', `${dir}/host_key.pub`], { encoding: 'utf8' });
      expect(keygen).toContain(hostFingerprint);
    } finally {
      await unpinned.close();
    }
  });

  it('a client key the server does not know is auth / auth-failed', async () => {
    const knownHosts = new InMemoryKnownHosts();
    knownHosts.accept(target.host, target.port ?? 22, hostFingerprint);
    const other = new SshSessionPool({ provider: 'jx-province', knownHosts, connectTimeoutMs: 5000 });
    try {
      const stranger = readFileSync(`${dir}/host_key`); // a valid key, just not authorised
      const e = await caughtProviderError(new SshHostProvider(other, { ...target, credential: { type: 'key', privateKey: stranger } }).facts());
      expect([e.code, e.reason]).toEqual(['auth', 'auth-failed']);
    } finally {
      await other.close();
    }
  });
});
