import { randomBytes } from 'node:crypto';
import { mkdtemp, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMasterKey } from './master-key.ts';
import { SealingService, type SealAlgorithm } from './sealing.ts';

describe('sealing service', () => {
  const key = randomBytes(32);
  for (const algorithm of ['aes-256-gcm', 'sm4-ctr-hmac-sm3'] as SealAlgorithm[]) {
    describe(algorithm, () => {
      const sealing = new SealingService(key, algorithm);
      it('opens what it sealed, and the sealed form hides the plaintext', () => {
        const sealed = sealing.seal('ssh-password-政务云', 'cloud:nanchang');
        expect(sealed).toMatch(new RegExp(`^v1\\.${algorithm}\\.`));
        expect(sealed).not.toContain('ssh-password');
        expect(sealing.open(sealed, 'cloud:nanchang')).toBe('ssh-password-政务云');
      });
      it('seals the same plaintext differently each time (random IV)', () => {
        expect(sealing.seal('x')).not.toBe(sealing.seal('x'));
      });
      it('refuses a tampered ciphertext, another context, and another key', () => {
        const sealed = sealing.seal('secret', 'a');
        const parts = sealed.split('.');
        const ct = Buffer.from(parts[3]!, 'base64url');
        ct[0]! ^= 1;
        parts[3] = ct.toString('base64url');
        expect(() => sealing.open(parts.join('.'), 'a')).toThrowError(/authentication/);
        expect(() => sealing.open(sealed, 'b')).toThrowError(/authentication/);
        expect(() => new SealingService(randomBytes(32), algorithm).open(sealed, 'a')).toThrowError(/authentication/);
      });
    });
  }
  it('opens values sealed with the other algorithm (the form names its algorithm)', () => {
    const sealed = new SealingService(key, 'sm4-ctr-hmac-sm3').seal('v');
    expect(new SealingService(key, 'aes-256-gcm').open(sealed)).toBe('v');
  });
});

describe('master key', () => {
  it('is generated once with mode 0600 and then reused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gy-key-'));
    const first = await loadMasterKey(undefined, dir);
    const second = await loadMasterKey(undefined, dir);
    expect(first.generated).toBeTrue();
    expect(second.generated).toBeFalse();
    expect(second.key.equals(first.key)).toBeTrue();
    expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
  });
  it('refuses a key file others can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gy-key-'));
    await writeFile(join(dir, 'secret.key'), 'a'.repeat(64));
    await chmod(join(dir, 'secret.key'), 0o644);
    await expectAsync(loadMasterKey(undefined, dir)).toBeRejectedWithError(/readable by others/);
  });
  it('uses the configured key when given', async () => {
    expect((await loadMasterKey('ab'.repeat(32), '/nonexistent')).key.toString('hex')).toBe('ab'.repeat(32));
  });
});
