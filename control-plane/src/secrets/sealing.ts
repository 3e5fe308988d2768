import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export type SealAlgorithm = 'aes-256-gcm' | 'sm4-ctr-hmac-sm3';

/**
 * Seals secrets (provider credentials, device passwords) with the platform key. The sealed form names
 * its algorithm, so the configured algorithm can change without losing what was sealed before:
 *   v1.aes-256-gcm.<iv>.<ciphertext>.<tag>
 *   v1.sm4-ctr-hmac-sm3.<iv>.<ciphertext>.<mac>      (商用密码: SM4 in CTR mode, encrypt-then-MAC with HMAC-SM3)
 * Sub-keys are derived from the master key with HKDF so the cipher key and the MAC key are never the same.
 * `context` (e.g. the secret's purpose and owner) is bound into the tag/MAC: a sealed value moved to
 * another row fails to open.
 */
export class SealingService {
  private readonly aesKey: Buffer;
  private readonly sm4Key: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer, private readonly algorithm: SealAlgorithm = 'aes-256-gcm') {
    if (masterKey.length !== 32) throw new Error('sealing key must be 32 bytes');
    const derive = (info: string, length: number) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, length));
    this.aesKey = derive('ganyun/seal/aes-256-gcm', 32);
    this.sm4Key = derive('ganyun/seal/sm4-ctr', 16);
    this.macKey = derive('ganyun/seal/hmac-sm3', 32);
  }

  seal(plaintext: string, context = ''): string {
    const data = Buffer.from(plaintext, 'utf8');
    if (this.algorithm === 'aes-256-gcm') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.aesKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(data), cipher.final()]);
      return ['v1', 'aes-256-gcm', iv, ct, cipher.getAuthTag()].map(b64).join('.');
    }
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-ctr', this.sm4Key, iv);
    const ct = Buffer.concat([cipher.update(data), cipher.final()]);
    return ['v1', 'sm4-ctr-hmac-sm3', iv, ct, this.mac(iv, ct, context)].map(b64).join('.');
  }

  open(sealed: string, context = ''): string {
    const [version, algorithm, iv64, ct64, tag64] = sealed.split('.');
    if (version !== 'v1' || !iv64 || ct64 === undefined || !tag64) throw new Error('not a sealed value');
    const [iv, ct, tag] = [iv64, ct64, tag64].map((s) => Buffer.from(s, 'base64url')) as [Buffer, Buffer, Buffer];
    if (algorithm === 'aes-256-gcm') {
      const decipher = createDecipheriv('aes-256-gcm', this.aesKey, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('sealed value failed authentication (wrong key, wrong context or tampered)');
      }
    }
    if (algorithm === 'sm4-ctr-hmac-sm3') {
      const expected = this.mac(iv, ct, context);
      if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) {
        throw new Error('sealed value failed authentication (wrong key, wrong context or tampered)');
      }
      const decipher = createDecipheriv('sm4-ctr', this.sm4Key, iv);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    }
    throw new Error(`unknown sealing algorithm ${algorithm}`);
  }

  private mac(iv: Buffer, ct: Buffer, context: string): Buffer {
    return createHmac('sm3', this.macKey).update(iv).update(ct).update(Buffer.from(context, 'utf8')).digest();
  }
}

function b64(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}
