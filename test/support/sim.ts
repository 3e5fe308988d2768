import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './product.ts';

/** A simulated cloud in its own process (`npm run sim`), on a free loopback port. */
export function startSim(cloudId: string, port: number, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'providers/src/simulated/server-main.ts', '--cloud', cloudId, '--port', String(port), ...args], {
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
