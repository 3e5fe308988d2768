/**
 * Pooled ssh2 sessions: one connection per target (host, port, user), many exec channels
 * over it, at most `maxConcurrentPerTarget` at a time. Every call is bounded: the connect
 * by `connectTimeoutMs`, the command by `commandTimeoutMs`, and the caller's AbortSignal.
 * Host keys are verified against Ganyun's known-hosts before authentication. Failures are
 * ProviderErrors: auth / timeout (retryable) / unavailable (retryable) / garbage.
 * Credentials go only to ssh2; they are never logged nor put into an error.
 */
import ssh2, { type Client as SshClient, type ConnectConfig } from 'ssh2';
import { ProviderError } from '../errors.ts';
import { isAllowedCommand, type AllowedCommand } from './command-allowlist.ts';
import { verifyHostKey, type HostKeyChangedAlarm, type HostKeyVerdict, type KnownHosts, type PinnedHostKey } from './host-keys.ts';
import { runExec, runShellCommand, type ChannelContext } from './ssh-commands.ts';
import { HostKeyError } from './ssh-errors.ts';
import { Limiter } from './ssh-limiter.ts';
import type { DeviceVendor, ExecResult, SshTarget } from './types.ts';

const { Client } = ssh2; // ssh2 is CommonJS: named imports fail under Node's ESM loader

export interface SshSessionPoolOptions {
  /** Cloud id the pool works for: the `provider` of every error. */
  readonly provider: string;
  readonly knownHosts: KnownHosts;
  /** Called when a pinned host presents a different key (the connection is refused). */
  readonly onHostKeyChanged?: (alarm: HostKeyChangedAlarm) => void;
  readonly maxConcurrentPerTarget?: number;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  /** An unused connection is closed after this long. */
  readonly idleCloseMs?: number;
  /** Output beyond this is refused as garbage (a runaway or hostile device). */
  readonly maxOutputBytes?: number;
  readonly keepaliveIntervalMs?: number;
}

export interface ExecOptions {
  /** Operation name for errors and metrics (`facts`, `probe`, `interfaces`, …). */
  readonly op: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

interface Connection {
  readonly client: SshClient;
  ready: Promise<void>;
  closed: boolean;
  users: number;
  idleTimer?: NodeJS.Timeout;
}

const DEFAULTS = {
  maxConcurrentPerTarget: 2,
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 30_000,
  idleCloseMs: 30_000,
  maxOutputBytes: 4 * 1024 * 1024,
  keepaliveIntervalMs: 10_000,
};

export class SshSessionPool {
  private readonly opts: typeof DEFAULTS & SshSessionPoolOptions;
  private readonly connections = new Map<string, Connection>();
  private readonly limiters = new Map<string, Limiter>();
  private closed = false;

  constructor(options: SshSessionPoolOptions) {
    this.opts = { ...DEFAULTS, ...stripUndefined(options) };
  }

  get provider(): string {
    return this.opts.provider;
  }

  /** Runs one allow-listed command on the target; resolves only with a complete result. */
  exec(target: SshTarget, command: AllowedCommand, options: ExecOptions): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.opts.commandTimeoutMs;
    return this.withSession(target, command, options, (conn) => runExec(this.channel(conn, target, options.op), command, timeoutMs, options.signal));
  }

  /**
   * Runs one allow-listed command in an interactive shell (device-shell.ts), for network devices whose VTY
   * refuses `exec`. The answer has no exit status: a complete one ends with the device's prompt.
   */
  execInShell(target: SshTarget, command: AllowedCommand, vendor: DeviceVendor, options: ExecOptions): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.opts.commandTimeoutMs;
    return this.withSession(target, command, options, (conn) => runShellCommand(this.channel(conn, target, options.op), command, vendor, timeoutMs, options.signal));
  }

  private async withSession(target: SshTarget, command: AllowedCommand, options: ExecOptions, use: (conn: Connection) => Promise<ExecResult>): Promise<ExecResult> {
    const { op, signal } = options;
    if (!isAllowedCommand(command)) {
      throw this.error(target, op, 'invalid', 'not-allow-listed', 'only commands built by command-allowlist.ts can run');
    }
    if (this.closed) throw this.error(target, op, 'unavailable', 'pool-closed', 'the SSH session pool is closed');
    const key = poolKey(target);
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new Limiter(this.opts.maxConcurrentPerTarget);
      this.limiters.set(key, limiter);
    }
    const release = await limiter.acquire(signal, () => this.aborted(target, op));
    try {
      const conn = await this.connection(target, op, signal);
      conn.users++;
      if (conn.idleTimer) clearTimeout(conn.idleTimer);
      try {
        return await use(conn);
      } finally {
        conn.users--;
        this.scheduleIdleClose(key, conn);
      }
    } finally {
      release();
    }
  }

  /** Number of open pooled connections (for tests and metrics). */
  get openConnections(): number {
    return [...this.connections.values()].filter((c) => !c.closed).length;
  }

  /** Drops the pooled connection of a target, e.g. after its credentials change. */
  evict(target: SshTarget): void {
    const key = poolKey(target);
    const conn = this.connections.get(key);
    this.connections.delete(key);
    conn?.client.end();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.limiters.values()) l.rejectAll(new ProviderError({ provider: this.opts.provider, op: 'close', code: 'unavailable', reason: 'pool-closed' }));
    const ends = [...this.connections.values()].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.idleTimer) clearTimeout(c.idleTimer);
          if (c.closed) return resolve();
          c.client.once('close', () => resolve());
          c.client.end();
          setTimeout(() => {
            c.client.destroy();
            resolve();
          }, 1000).unref();
        }),
    );
    this.connections.clear();
    await Promise.all(ends);
  }

  // ------------------------------------------------------------ connections

  private async connection(target: SshTarget, op: string, signal: AbortSignal | undefined): Promise<Connection> {
    const key = poolKey(target);
    let conn = this.connections.get(key);
    if (!conn || conn.closed) {
      conn = this.open(target, op); // registered at once: concurrent callers share it
      this.connections.set(key, conn);
    }
    const ready = conn.ready;
    try {
      await raceAbort(ready, signal, () => this.aborted(target, op));
    } catch (e) {
      if (this.connections.get(key) === conn && conn.closed) this.connections.delete(key);
      // The first caller's op is baked into a shared connect error; re-label for this caller.
      if (e instanceof ProviderError && e.op !== op && !(e instanceof HostKeyError)) {
        throw new ProviderError({ provider: e.provider, op, code: e.code, retryable: e.retryable, ...(e.reason ? { reason: e.reason } : {}), message: e.message, cause: e });
      }
      throw e;
    }
    return conn;
  }

  private open(target: SshTarget, op: string): Connection {
    const port = target.port ?? 22;
    let verdict: HostKeyVerdict | undefined;
    let pinned: PinnedHostKey | undefined;
    const client = new Client();
    const conn: Connection = { client, ready: Promise.resolve(), closed: false, users: 0 };
    const config: ConnectConfig = {
      host: target.host,
      port,
      username: target.username,
      readyTimeout: this.opts.connectTimeoutMs,
      keepaliveInterval: this.opts.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      hostVerifier: (key: Buffer): boolean => {
        verdict = verifyHostKey(pinned, key);
        if (!verdict.ok && verdict.reason === 'host-key-changed') {
          try {
            this.opts.onHostKeyChanged?.({ targetId: target.id, host: target.host, port, expectedFingerprint: verdict.expected, presentedFingerprint: verdict.fingerprint });
          } catch {
            // an alarm hook that throws must not turn a refusal into an acceptance
          }
        }
        return verdict.ok;
      },
      ...(target.credential.type === 'password'
        ? { password: target.credential.password }
        : { privateKey: target.credential.privateKey, ...(target.credential.passphrase !== undefined ? { passphrase: target.credential.passphrase } : {}) }),
    };
    conn.ready = new Promise<void>((resolve, reject) => {
      let settled = false;
      client.once('ready', () => {
        settled = true;
        // Shell sessions are prompt/answer round trips of a few bytes: Nagle plus delayed ACKs would add ~40 ms to each.
        client.setNoDelay(true);
        resolve();
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        conn.closed = true;
        if (settled) return;
        settled = true;
        reject(this.connectError(target, port, op, err, verdict));
      });
      client.once('close', () => {
        conn.closed = true;
        if (this.connections.get(poolKey(target)) === conn) this.connections.delete(poolKey(target));
        if (settled) return;
        settled = true;
        reject(verdict && !verdict.ok ? this.hostKeyError(target, port, op, verdict) : this.error(target, op, 'unavailable', 'connection-closed', 'connection closed before the session was ready'));
      });
      Promise.resolve()
        .then(() => this.opts.knownHosts.lookup(target.host, port))
        .then(
          (pin) => {
            pinned = pin;
            if (settled) return;
            try {
              client.connect(config);
            } catch (e) {
              settled = true;
              conn.closed = true;
              reject(this.error(target, op, 'invalid', 'bad-credential', `cannot use the credential: ${e instanceof Error ? e.message : String(e)}`));
            }
          },
          (e: unknown) => {
            settled = true;
            conn.closed = true;
            reject(this.error(target, op, 'unavailable', 'known-hosts-unavailable', 'cannot read the pinned host keys', e));
          },
        );
    });
    conn.ready.catch(() => undefined); // observed by callers; avoid an unhandled rejection if none waits
    return conn;
  }

  private connectError(target: SshTarget, port: number, op: string, err: Error & { level?: string; code?: string }, verdict: HostKeyVerdict | undefined): ProviderError {
    if (verdict && !verdict.ok) return this.hostKeyError(target, port, op, verdict);
    if (err.level === 'client-authentication') return this.error(target, op, 'auth', 'auth-failed', 'authentication failed', err);
    if (err.level === 'client-timeout') return this.error(target, op, 'timeout', 'connect-timeout', `no SSH session within ${this.opts.connectTimeoutMs} ms`, err);
    if (err.code === 'ECONNREFUSED') return this.error(target, op, 'unavailable', 'connection-refused', 'connection refused', err);
    if (err.code === 'ETIMEDOUT') return this.error(target, op, 'timeout', 'connect-timeout', 'TCP connect timed out', err);
    return this.error(target, op, 'unavailable', 'connect-failed', `cannot connect: ${err.code ?? err.message}`, err);
  }

  private hostKeyError(target: SshTarget, port: number, op: string, verdict: Exclude<HostKeyVerdict, { ok: true }>): HostKeyError {
    return new HostKeyError({
      provider: this.opts.provider,
      op,
      reason: verdict.reason,
      host: target.host,
      port,
      presentedFingerprint: verdict.fingerprint,
      ...(verdict.reason === 'host-key-changed' ? { expectedFingerprint: verdict.expected } : {}),
    });
  }

  private scheduleIdleClose(key: string, conn: Connection): void {
    if (conn.users > 0 || conn.closed) return;
    if (conn.idleTimer) clearTimeout(conn.idleTimer);
    conn.idleTimer = setTimeout(() => {
      if (conn.users > 0) return;
      if (this.connections.get(key) === conn) this.connections.delete(key);
      conn.client.end();
    }, this.opts.idleCloseMs);
    conn.idleTimer.unref();
  }

  /** What a command (ssh-commands.ts) needs of a pooled session. */
  private channel(conn: Connection, target: SshTarget, op: string): ChannelContext {
    return {
      client: conn.client,
      closed: () => conn.closed,
      maxOutputBytes: this.opts.maxOutputBytes,
      error: (code, reason, what, cause) => this.error(target, op, code, reason, what, cause),
      aborted: () => this.aborted(target, op),
    };
  }

  // ------------------------------------------------------------ errors

  private error(target: SshTarget, op: string, code: ProviderError['code'], reason: string, what: string, cause?: unknown): ProviderError {
    const where = `${target.id} (${target.host}:${target.port ?? 22})`;
    return new ProviderError({ provider: this.opts.provider, op, code, reason, message: `${this.opts.provider}: ${op} on ${where}: ${what}`, ...(cause !== undefined ? { cause } : {}) });
  }

  private aborted(target: SshTarget, op: string): ProviderError {
    return this.error(target, op, 'timeout', 'aborted', 'aborted by the caller');
  }
}

function poolKey(t: SshTarget): string {
  return `${t.username}@${t.host}:${t.port ?? 22}`;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

async function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined, onAbort: () => ProviderError): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) throw onAbort();
  let listener: (() => void) | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        listener = () => reject(onAbort());
        signal.addEventListener('abort', listener, { once: true });
      }),
    ]);
  } finally {
    if (listener) signal.removeEventListener('abort', listener);
  }
}
