/**
 * One allow-listed command over a ready SSH session: on an `exec` channel (exit status required) or in an
 * interactive shell (device-shell.ts: complete when the prompt is back). Bounded by the command timeout, the
 * caller's AbortSignal and the output limit; failures are the pool's ProviderErrors (timeout, garbage for cut or
 * oversized answers, unavailable when the connection drops).
 */
import type { Client as SshClient, ClientChannel } from 'ssh2';
import type { ProviderError } from '../errors.ts';
import type { AllowedCommand } from './command-allowlist.ts';
import { runInShell, ShellError } from './device-shell.ts';
import type { DeviceVendor, ExecResult } from './types.ts';

/** What a command needs of its session and of the pool. */
export interface ChannelContext {
  readonly client: SshClient;
  /** Whether the connection has dropped (a cut channel is then `unavailable`, not garbage). */
  closed(): boolean;
  readonly maxOutputBytes: number;
  error(code: ProviderError['code'], reason: string, what: string, cause?: unknown): ProviderError;
  aborted(): ProviderError;
}

/**
 * One settlement per command, shared by exec and shell: the first of answer, error, timeout or abort wins, the
 * timer and the abort listener go away with it, and a failure closes the channel. A channel that opens after the
 * command was settled is closed at once (`adopt` returns false).
 */
function settleOnce(
  session: ChannelContext, signal: AbortSignal | undefined, timeoutMs: number, timeoutText: string,
  resolve: (r: ExecResult) => void, reject: (e: ProviderError) => void,
) {
  let done = false;
  let channel: ClientChannel | undefined;
  const finish = (e: ProviderError | undefined, r?: ExecResult): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (e) {
      channel?.close();
      reject(e);
    } else if (r) resolve(r);
  };
  const timer = setTimeout(() => finish(session.error('timeout', 'command-timeout', timeoutText)), timeoutMs);
  const onAbort = (): void => finish(session.aborted());
  const abortedAlready = signal?.aborted === true;
  if (abortedAlready) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    finish,
    abortedAlready,
    adopt(ch: ClientChannel): boolean {
      if (done) {
        ch.close();
        return false;
      }
      channel = ch;
      return true;
    },
  };
}

export function runExec(session: ChannelContext, command: AllowedCommand, timeoutMs: number, signal: AbortSignal | undefined): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    let exitCode: number | undefined;
    let exitSignal: string | undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    const settle = settleOnce(session, signal, timeoutMs, `${command.text.split(' ')[0]}: no complete answer within ${timeoutMs} ms`, resolve, reject);
    const { finish } = settle;
    if (settle.abortedAlready) return;

    const collect = (into: Buffer[]) => (d: Buffer) => {
      bytes += d.length;
      if (bytes > session.maxOutputBytes) {
        finish(session.error('garbage', 'output-too-large', `output exceeds ${session.maxOutputBytes} bytes`));
        return;
      }
      into.push(d);
    };

    try {
      session.client.exec(command.text, (e, ch) => {
        if (e) return finish(session.error('unavailable', 'channel-refused', `cannot open an exec channel: ${e.message}`, e));
        if (!settle.adopt(ch)) return;
        ch.on('data', collect(out));
        ch.stderr.on('data', collect(err));
        ch.on('exit', (code: number | null, sig?: string) => {
          if (typeof code === 'number') exitCode = code;
          else if (sig !== undefined) exitSignal = sig;
        });
        ch.on('close', () => {
          if (exitCode !== undefined) {
            finish(undefined, { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode });
            return;
          }
          // Let a connection drop be seen first: that is `unavailable`, a cut channel is garbage.
          setImmediate(() => {
            if (session.closed()) finish(session.error('unavailable', 'connection-lost', 'connection lost during the command'));
            else {
              const why = exitSignal ? `command killed by signal ${exitSignal}` : 'the channel closed without an exit status: output is incomplete';
              finish(session.error('garbage', 'truncated-output', why));
            }
          });
        });
      });
    } catch (e) {
      finish(session.error('unavailable', 'connection-lost', 'the connection is gone', e));
    }
  });
}

export function runShellCommand(session: ChannelContext, command: AllowedCommand, vendor: DeviceVendor, timeoutMs: number, signal: AbortSignal | undefined): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const settle = settleOnce(session, signal, timeoutMs, `${command.text.split(' ')[0]}: no prompt after the answer within ${timeoutMs} ms`, resolve, reject);
    const { finish } = settle;
    if (settle.abortedAlready) return;
    try {
      // A wide terminal keeps the device from wrapping table rows; many rows delay paging.
      session.client.shell({ term: 'vt100', cols: 512, rows: 512 }, (e, ch) => {
        if (e) return finish(session.error('unavailable', 'channel-refused', `cannot open a shell: ${e.message}`, e));
        if (!settle.adopt(ch)) return;
        runInShell(ch, { vendor, command: command.text, maxOutputBytes: session.maxOutputBytes }).then(
          (stdout) => finish(undefined, { stdout, stderr: '', exitCode: 0 }),
          (err: unknown) => {
            if (err instanceof ShellError && err.kind === 'too-large') return finish(session.error('garbage', 'output-too-large', err.message));
            setImmediate(() =>
              session.closed()
                ? finish(session.error('unavailable', 'connection-lost', 'connection lost during the command'))
                : finish(session.error('garbage', 'truncated-output', err instanceof Error ? err.message : String(err))),
            );
          },
        );
      });
    } catch (e) {
      finish(session.error('unavailable', 'connection-lost', 'the connection is gone', e));
    }
  });
}
