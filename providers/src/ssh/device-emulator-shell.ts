/**
 * The interactive VTY of the device EMULATOR: a banner and a prompt (`<HUAWEI>` / `<H3C>`), echo of each
 * line typed, `screen-length 0 temporary` / `screen-length disable`, output paged with `---- More ----`
 * (erased the way devices erase it) until paging is turned off, `quit`. Tests only.
 */
import type { ServerChannel } from 'ssh2';
import { PAGING_OFF } from './device-shell.ts';
import type { DeviceVendor } from './types.ts';

export interface EmulatorShellOptions {
  readonly vendor: DeviceVendor;
  readonly answer: (command: string) => string;
  /** Current misbehaviour, read per command. */
  readonly mode: () => 'normal' | 'hang' | 'truncate' | 'reject-auth';
  readonly record: (command: string) => void;
  /** Lines per page while paging is on. */
  readonly pageLines?: number;
  /** An old or locked-down VTY: accepts `screen-length` but keeps paging. */
  readonly ignoresScreenLength?: boolean;
}

const MORE = '  ---- More ----';
const ERASE = `\x1b[${MORE.length}D${' '.repeat(MORE.length)}\x1b[${MORE.length}D`;

export function serveShell(stream: ServerChannel, o: EmulatorShellOptions): void {
  const prompt = o.vendor === 'huawei-vrp' ? '<HUAWEI>' : '<H3C>';
  const pageLines = o.pageLines ?? 10;
  let paging = true;
  let typed = '';
  let pending: string[] | undefined; // pages still to show after a More
  const write = (s: string): void => {
    stream.write(s.replace(/\r?\n/g, '\r\n'));
  };

  const showPage = (): void => {
    const page = pending!.shift()!;
    write(page);
    if (pending!.length) write(MORE);
    else {
      pending = undefined;
      write(prompt);
    }
  };

  const run = (line: string): void => {
    write(`${line}\n`); // echo
    if (line === '') return write(prompt);
    if (line === 'quit') {
      stream.exit(0);
      stream.end();
      return;
    }
    if (line === PAGING_OFF[o.vendor]) {
      if (!o.ignoresScreenLength) paging = false;
      return write(`Info: The configuration takes effect on the current user terminal interface only.\n${prompt}`);
    }
    o.record(line);
    if (o.mode() === 'hang') return;
    const text = o.answer(line);
    if (o.mode() === 'truncate') {
      write(text.slice(0, Math.floor(text.length / 2)));
      stream.close();
      return;
    }
    const lines = text.replace(/\n$/, '').split('\n').map((l) => `${l}\n`);
    const pages: string[] = [];
    for (let i = 0; i < lines.length; i += paging ? pageLines : lines.length) pages.push(lines.slice(i, i + (paging ? pageLines : lines.length)).join(''));
    pending = pages.length ? pages : [''];
    showPage();
  };

  stream.on('data', (d: Buffer) => {
    for (const ch of d.toString('utf8')) {
      if (pending) {
        if (ch === ' ') {
          write(ERASE);
          showPage();
        }
        continue; // devices ignore other keys at a More prompt (q would abort; not emulated)
      }
      if (ch === '\r' || ch === '\n') {
        const line = typed.trim();
        typed = '';
        run(line);
      } else typed += ch;
    }
  });
  write(`\nInfo: The max number of VTY users is 5, and the number\n      of current VTY users on line is 1.\n${prompt}`);
}
