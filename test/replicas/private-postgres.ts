import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/product.ts';

/**
 * A PostgreSQL cluster of the spec's own (initdb into a temp dir, its own port, trust on loopback), to stop and
 * start at will: the shared server on 5432 is never touched. initdb refuses to run as root, so as root the cluster
 * belongs to the `postgres` user (runuser); as anyone else it is the caller's own.
 */
export interface PrivatePostgres {
  port: number;
  adminUrl: string;
  start(): void;
  /** `pg_ctl stop -m fast`: sessions are cut, as in a failover or an operator's restart. */
  stop(): void;
  destroy(): void;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (Debian package postgresql)');
  return join(base, versions[0]!, 'bin');
}

/** `settings`: more server settings (`-c name=value` each), e.g. `shared_preload_libraries=pg_stat_statements`. */
export async function startPrivatePostgres(settings: string[] = []): Promise<PrivatePostgres> {
  const bin = binDir();
  const root = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'ganyun-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const as = (cmd: string, args: string[]) => {
    const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  };
  as(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200${settings.map((x) => ` -c ${x}`).join('')}`;
  const pg: PrivatePostgres = {
    port,
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => void as(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', log, '-w', '-t', '60', 'start']),
    stop: () => void as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']),
    destroy: () => {
      try {
        pg.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pg.start();
  return pg;
}
