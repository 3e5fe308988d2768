import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, startProduct } from './support/product.ts';

/** The product as an operator starts it: configuration errors, first start, restart on the same data dir. */
describe('starting the control plane', () => {
  it('exits non-zero with one line per bad setting', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'control-plane/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'chatty', DATABASE_URL: 'mysql://db' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines.map((l) => l.split(':')[2]?.trim()).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
  });

  it('prints a generated admin password once, keeps a 0600 sealing key, and keeps its data across a restart', async () => {
    const first = await startProduct();
    try {
      const printed = /as admin with password (\S+)/.exec(first.output());
      expect(printed).not.toBeNull();
      expect(((await stat(join(first.dataDir, 'secret.key'))).mode & 0o777)).toBe(0o600);
      // the password is on the terminal but never in a JSON log line
      const logLines = first.output().split('\n').filter((l) => l.startsWith('{'));
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('\n')).not.toContain(printed![1]!);
      await first.stop();

      const second = await startProduct({ GANYUN_DATA_DIR: first.dataDir });
      try {
        expect(second.output()).not.toContain('as admin with password');
        const res = await fetch(`${second.url}/trpc/auth.login`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: printed![1] }),
        });
        expect(res.status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
