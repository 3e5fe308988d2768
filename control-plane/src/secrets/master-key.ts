import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The sealing key: from GANYUN_SECRET_KEY when set; on the embedded default, generated once into
 * `<dataDir>/secret.key` with mode 0600 and reused at every start.
 */
export async function loadMasterKey(configured: string | undefined, dataDir: string): Promise<{ key: Buffer; generated: boolean }> {
  if (configured) return { key: Buffer.from(configured, 'hex'), generated: false };
  const path = join(dataDir, 'secret.key');
  try {
    const mode = (await stat(path)).mode & 0o777;
    if (mode & 0o077) throw new Error(`${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
    const hex = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${path} does not hold a 64-hex-character key`);
    return { key: Buffer.from(hex, 'hex'), generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return { key, generated: true };
}
