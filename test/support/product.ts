import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../control-plane/src/testing/processes.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A free loopback port (bind to 0, read it, release it). */
export { freePort };

export interface RunningProduct {
  url: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the control plane as `npm start` does (after the console build), as a child process on a temp
 * data dir and a free port; resolves when /readyz answers 200.
 */
export async function startProduct(env: Record<string, string> = {}): Promise<RunningProduct> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ganyun-e2e-'));
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'control-plane/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GANYUN_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // A hang guard, not a timing check: the first start seeds the demo extranet (25,000 prefixes), which takes
  // most of a minute on a loaded 2-core machine.
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`control plane exited with ${child.exitCode}:\n${out}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`control plane not ready within 150 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    child,
    output: () => out,
    /** SIGTERM, as an operator stops it; SIGKILL after 20 s so a hung stop fails loudly instead of hanging the suite. */
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        out += '\n[test] control plane did not stop within 20 s of SIGTERM; killed\n';
        child.kill('SIGKILL');
      }, 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
