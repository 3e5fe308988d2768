/**
 * Interactive-shell sessions for network devices. Many Huawei VRP and H3C Comware VTYs refuse SSH `exec`
 * requests and only offer a shell: a prompt (`<HUAWEI>`, `[H3C]`), the echo of what was typed, and paged
 * output (`---- More ----`). One command per shell channel: wait for the prompt, turn paging off for this
 * terminal (`screen-length 0 temporary` / `screen-length disable`), send the command, read up to the next
 * prompt, `quit`. A channel that closes before the closing prompt is a truncated answer, never a result.
 */
import type { ClientChannel } from 'ssh2';
import type { DeviceVendor } from './types.ts';

/** A VRP / Comware prompt on a line of its own: `<sysname>` (user view) or `[sysname]` / `[sysname-xxx]`. */
export const PROMPT = /(?:^|\n)[ \t]*([<[][A-Za-z0-9][\w.\-~/:@()]{0,63}[>\]])[ \t]*$/;
const MORE_GLOBAL = /-{2,} ?More ?-{2,}/g;
/** The marker and the device's erasure of it (`ESC[nD`, n spaces, `ESC[nD`), which leaves the next row in place. */
const MORE_ERASED = / *-{2,} ?More ?-{2,}(?:\x1b\[\d+D *\x1b\[\d+D)?/g;
// Terminal control sequences devices emit when they erase the More marker (`ESC[42D`, `ESC[K`).
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export const PAGING_OFF: Readonly<Record<DeviceVendor, string>> = {
  'huawei-vrp': 'screen-length 0 temporary',
  'h3c-comware': 'screen-length disable',
};

export type ShellFailure = 'truncated' | 'too-large' | 'no-prompt';

export class ShellError extends Error {
  constructor(
    readonly kind: ShellFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface ShellRunOptions {
  readonly vendor: DeviceVendor;
  readonly command: string;
  readonly maxOutputBytes: number;
}

/** Cleans a shell transcript into what the command printed: no echo, no More markers, no closing prompt. */
export function commandOutput(transcript: string, command: string): string {
  let text = transcript.replace(MORE_ERASED, '').replace(ANSI, '').replace(/\r/g, '');
  const echo = text.indexOf(command);
  if (echo >= 0) text = text.slice(echo + command.length);
  text = text.replace(/^[^\n]*\n/, ''); // rest of the echo line
  const prompt = PROMPT.exec(text);
  if (prompt) text = text.slice(0, prompt.index);
  return text.replace(/\n*$/, '\n');
}

/**
 * Drives one command over an opened shell channel; resolves with the command's output. The caller owns
 * timeouts and closes the channel on failure.
 */
export function runInShell(channel: ClientChannel, opts: ShellRunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let bytes = 0;
    let stage: 'banner' | 'paging' | 'command' | 'done' = 'banner';
    let transcript = '';
    let pagesAsked = 0;

    const send = (line: string): void => {
      channel.write(`${line}\n`);
    };
    const onData = (d: Buffer): void => {
      bytes += d.length;
      if (bytes > opts.maxOutputBytes) {
        stage = 'done';
        reject(new ShellError('too-large', `output exceeds ${opts.maxOutputBytes} bytes`));
        return;
      }
      buffer += d.toString('utf8');
      if (stage === 'command') {
        // Paging survived `screen-length` (an old VRP, a locked-down VTY): one space per More marker.
        const markers = buffer.match(MORE_GLOBAL)?.length ?? 0;
        for (; pagesAsked < markers; pagesAsked++) channel.write(' ');
      }
      if (!PROMPT.test(buffer.replace(ANSI, '').replace(/\r/g, ''))) return;
      if (stage === 'banner') {
        stage = 'paging';
        buffer = '';
        send(PAGING_OFF[opts.vendor]);
      } else if (stage === 'paging') {
        stage = 'command';
        buffer = '';
        send(opts.command);
      } else if (stage === 'command') {
        stage = 'done';
        transcript = buffer;
        channel.write('quit\n');
        resolve(commandOutput(transcript, opts.command));
      }
    };
    channel.on('data', onData);
    channel.stderr.on('data', onData);
    channel.on('close', () => {
      if (stage === 'done') return;
      stage = 'done';
      reject(new ShellError('truncated', 'the shell closed before the device printed its prompt again: output is incomplete'));
    });
  });
}
