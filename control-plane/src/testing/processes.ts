/**
 * Specs, end-to-end tests and benches: processes on loopback. A free port, and a simulated cloud in its own
 * process (`providers/src/simulated/server-main.ts`, as `npm run sim` starts it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('../../../providers/src/simulated/server-main.ts', import.meta.url));

/** A free loopback port (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the sim server for `cloudId` on `port` as its own process; resolves once it listens, rejects if it exits first. */
export function startSimProcess(cloudId: string, port: number, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN, '--cloud', cloudId, '--port', String(port), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`sim ${cloudId} exited with ${code}: ${err}`)));
  });
}
