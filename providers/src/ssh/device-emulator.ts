/**
 * A network-device emulator for tests, built on ssh2's `Server`: it answers Huawei VRP or
 * H3C Comware commands with the samples in ./samples, and can misbehave on purpose:
 * `hang` (accepts a command, never answers), `truncate` (sends half the answer and closes
 * the channel without an exit status), `reject-auth` (refuses every password).
 * It counts concurrent exec channels so that tests can check per-device limits.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import ssh2, { type Connection } from 'ssh2';

const { Server } = ssh2; // ssh2 is CommonJS: named imports fail under Node's ESM loader
import { serveShell } from './device-emulator-shell.ts';
import type { DeviceVendor } from './types.ts';

export type EmulatorMode = 'normal' | 'hang' | 'truncate' | 'reject-auth';

export interface DeviceEmulatorOptions {
  readonly vendor: DeviceVendor;
  /** OpenSSH-format private host key, e.g. from ssh2's `utils.generateKeyPairSync('ed25519')`. */
  readonly hostKey: string;
  readonly username: string;
  readonly password: string;
  /** Delay before answering each command (makes concurrency observable). */
  readonly responseDelayMs?: number;
  /** Refuse `exec` requests: commands only through the interactive shell (as many real VTYs do). */
  readonly shellOnly?: boolean;
  /** The shell keeps paging after `screen-length` (old or locked-down VTYs). */
  readonly ignoresScreenLength?: boolean;
}

const SAMPLES = new URL('./samples/', import.meta.url);

/**
 * A fresh ed25519 host key for an emulator. ssh2's generateKeyPairSync('ed25519') yields a key that its own
 * parseKey rejects about once in 256 (it strips a leading zero byte of the public key: mscdex/ssh2#1513),
 * which made specs flaky; draw again until both halves parse.
 */
export function emulatorHostKey(): string {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error)) return pair.private;
  }
}

export function sample(name: string): string {
  return readFileSync(new URL(name, SAMPLES), 'utf8');
}

function answers(vendor: DeviceVendor): (command: string) => string {
  const p = vendor === 'huawei-vrp' ? 'vrp' : 'comware';
  return (command) => {
    if (command === 'display interface brief') return sample(`${p}-display-interface-brief.txt`);
    if (command === 'display ipv6 interface brief') return sample(`${p}-display-ipv6-interface-brief.txt`);
    if (command === 'display ip vpn-instance') return sample(`${p}-display-ip-vpn-instance.txt`);
    if (/^ping ipv6 /.test(command)) return sample(`${p}-ping-ipv6.txt`);
    if (/^ping /.test(command)) return sample(`${p}-ping-vpn-instance.txt`);
    return sample(`${p}-error-unrecognized.txt`);
  };
}

export class DeviceEmulator {
  mode: EmulatorMode = 'normal';
  /** Every command received, in order. */
  readonly commands: string[] = [];
  private active = 0;
  private peak = 0;
  private readonly server: InstanceType<typeof Server>;
  private readonly clients = new Set<Connection>();
  private readonly answer: (command: string) => string;

  constructor(private readonly opts: DeviceEmulatorOptions) {
    this.answer = answers(opts.vendor);
    this.server = new Server({ hostKeys: [opts.hostKey] }, (client) => this.serve(client));
  }

  /** Highest number of exec channels open at once since the last reset. */
  get maxConcurrentExec(): number {
    return this.peak;
  }

  resetCounters(): void {
    this.peak = 0;
    this.commands.length = 0;
  }

  /** Listens on 127.0.0.1 (`port` 0: any free one; a fixed port lets a spec restart the device with a new key). */
  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.end();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(client: Connection): void {
    this.clients.add(client);
    (client as Connection & { setNoDelay(noDelay: boolean): void }).setNoDelay(true); // present at runtime, missing from @types/ssh2
    client.on('close', () => this.clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (this.mode !== 'reject-auth' && ctx.method === 'password' && ctx.username === this.opts.username && ctx.password === this.opts.password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept());
        session.on('shell', (accept) => {
          serveShell(accept(), {
            vendor: this.opts.vendor, answer: this.answer, mode: () => this.mode, record: (c) => this.commands.push(c),
            ...(this.opts.ignoresScreenLength ? { ignoresScreenLength: true } : {}),
          });
        });
        session.on('exec', (accept, reject, info) => {
          if (this.opts.shellOnly) return reject();
          const stream = accept();
          this.commands.push(info.command);
          this.active++;
          this.peak = Math.max(this.peak, this.active);
          let counted = true;
          const uncount = (): void => {
            if (counted) this.active--;
            counted = false;
          };
          stream.on('close', uncount);
          if (this.mode === 'hang') return; // never answers; the channel stays open
          const text = this.answer(info.command);
          setTimeout(() => {
            if (this.mode === 'truncate') {
              stream.write(text.slice(0, Math.floor(text.length / 2)));
              uncount();
              stream.close(); // no exit status: the client must see a cut answer
              return;
            }
            stream.write(text);
            uncount();
            stream.exit(0);
            stream.end();
          }, this.opts.responseDelayMs ?? 0);
        });
      });
    });
  }
}
