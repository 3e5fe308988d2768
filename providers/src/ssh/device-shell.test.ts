import ssh2 from 'ssh2';
import { caughtProviderError } from '../testing/counting.ts';
import { parseComwareInterfaceBrief } from './device-parsers/comware.ts';
import { parseVrpInterfaceBrief, parseVrpVpnInstances } from './device-parsers/vrp.ts';
import { DeviceEmulator, emulatorHostKey, sample } from './device-emulator.ts';
import { PROMPT, commandOutput } from './device-shell.ts';
import { InMemoryKnownHosts, sha256Fingerprint } from './host-keys.ts';
import { NetworkDeviceProvider } from './network-device-provider.ts';
import { SshSessionPool } from './ssh-session-pool.ts';
import type { DeviceVendor } from './types.ts';

/** The fingerprint clients will see for an emulator started with this private host key. */
function fingerprintOf(privateKey: string): string {
  const key = ssh2.utils.parseKey(privateKey);
  if (key instanceof Error) throw key;
  return sha256Fingerprint((Array.isArray(key) ? key[0] : key).getPublicSSH());
}

describe('device shell transcripts', () => {
  it('keeps only what the command printed: no echo, no More marker or its erasure, no closing prompt', () => {
    const transcript = '<HUAWEI>display ip vpn-instance\r\n  row 1\r\n  row 2\r\n  ---- More ----\x1b[16D                \x1b[16D  row 3\r\n<HUAWEI>';
    expect(commandOutput(transcript, 'display ip vpn-instance')).toBe('  row 1\n  row 2\n  row 3\n');
  });

  const prompts: [string, boolean][] = [
    ['<HUAWEI>', true], ['[HUAWEI]', true], ['\r\n[H3C-GigabitEthernet1/0/1]', true], ['<sw-core.nc01>', true],
    ['  ---- More ----', false], ['Total: 3 <up>', false], ['<HUAWEI>display', false],
  ];
  for (const [text, isPrompt] of prompts) {
    it(`${JSON.stringify(text)} ${isPrompt ? 'is' : 'is not'} a prompt`, () => expect(PROMPT.test(text.replace(/\r/g, ''))).toBe(isPrompt));
  }
});

describe('network devices in shell mode (device EMULATOR with an interactive VTY)', () => {
  let emulator: DeviceEmulator;
  let pool: SshSessionPool;

  async function device(vendor: DeviceVendor, opts: { shellOnly?: boolean; ignoresScreenLength?: boolean } = {}, session: 'exec' | 'shell' = 'shell') {
    const hostKey = emulatorHostKey();
    emulator = new DeviceEmulator({ vendor, hostKey, username: 'ganyun', password: 'pw-123456', ...opts });
    const port = await emulator.listen();
    const knownHosts = new InMemoryKnownHosts();
    knownHosts.accept('127.0.0.1', port, fingerprintOf(hostKey));
    pool = new SshSessionPool({ provider: 'jx-province', knownHosts, connectTimeoutMs: 3000, commandTimeoutMs: 1500 });
    return new NetworkDeviceProvider(pool, { id: 'sw', host: '127.0.0.1', port, username: 'ganyun', credential: { type: 'password', password: 'pw-123456' }, vendor, session });
  }

  afterEach(async () => {
    await pool?.close();
    await emulator?.close();
  });

  it('a VTY that refuses exec: exec mode fails as unavailable, shell mode reads the same records as the samples', async () => {
    const execOnly = await device('huawei-vrp', { shellOnly: true }, 'exec');
    const e = await caughtProviderError(execOnly.interfaces());
    expect([e.code, e.reason]).toEqual(['unavailable', 'channel-refused']);
    await pool.close();
    await emulator.close();
    const d = await device('huawei-vrp', { shellOnly: true });
    expect(await d.interfaces()).toEqual(parseVrpInterfaceBrief(sample('vrp-display-interface-brief.txt')));
    expect(await d.vpnInstances()).toEqual(parseVrpVpnInstances(sample('vrp-display-ip-vpn-instance.txt')));
    expect(emulator.commands).toEqual(['display interface brief', 'display ip vpn-instance']);
  });

  it('a VTY that keeps paging after screen-length: every More is answered and the records are whole (H3C Comware)', async () => {
    const d = await device('h3c-comware', { ignoresScreenLength: true });
    const text = sample('comware-display-interface-brief.txt');
    expect(text.split('\n').length).withContext('the sample spans several pages').toBeGreaterThan(10);
    expect(await d.interfaces()).toEqual(parseComwareInterfaceBrief(text));
  });

  it('a shell cut mid-answer is garbage / truncated-output, nothing returned', async () => {
    const d = await device('huawei-vrp');
    emulator.mode = 'truncate';
    const e = await caughtProviderError(d.interfaces());
    expect([e.code, e.reason]).toEqual(['garbage', 'truncated-output']);
  });

  it('a shell that never shows its prompt again ends in timeout', async () => {
    const d = await device('huawei-vrp');
    emulator.mode = 'hang';
    const e = await caughtProviderError(d.vpnInstances());
    expect([e.code, e.reason, e.retryable]).toEqual(['timeout', 'command-timeout', true]);
  });

  it('probes through the shell (ping -vpn-instance)', async () => {
    const d = await device('huawei-vrp');
    const r = await d.probe({ target: '10.1.1.1', vpnInstance: 'GOV', count: 5 });
    expect([r.transmitted, r.received, r.vpnInstance]).toEqual([5, 4, 'GOV']);
    expect(emulator.commands).toEqual(['ping -c 5 -vpn-instance GOV 10.1.1.1']);
  });
});
