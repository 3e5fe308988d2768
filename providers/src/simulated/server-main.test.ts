import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RemoteProvider } from '../remote/remote-provider.ts';

/** Starting node with tsx can take seconds on a busy machine; this is a limit, not a timing assertion. */
const SPAWN_TIMEOUT_MS = 30_000;
const MAIN = fileURLToPath(new URL('./server-main.ts', import.meta.url));

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('server-main (a simulated cloud as its own process)', () => {
  it('serves the cloud named on the command line, with its token from the environment, and stops on SIGTERM', async () => {
    const child = start(['--cloud', 'xinyu', '--port', '0', '--token-env', 'SIM_TEST_TOKEN'], { SIM_TEST_TOKEN: 'tok' });
    const exited = exitOf(child);
    try {
      const line = await firstLine(child);
      expect(line).toMatch(/^sim xinyu \(新余市政务云\) listening on http:\/\/127\.0\.0\.1:\d+ with \d+ objects$/);
      const url = /(http:\/\/\S+)/.exec(line)?.[1] as string;
      const info = await new RemoteProvider({ cloudId: 'xinyu', endpoint: url, token: 'tok' }).connect();
      expect(info.cloudId).toBe('xinyu');
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  }, SPAWN_TIMEOUT_MS);

  it('exits with a message naming the known clouds when the cloud is unknown', async () => {
    const { code, stderr } = await exitOf(start(['--cloud', 'atlantis', '--port', '0']));
    expect(code).toBe(2);
    expect(stderr).toContain('no cloud "atlantis"');
    expect(stderr).toContain('jx-province');
  }, SPAWN_TIMEOUT_MS);
});
