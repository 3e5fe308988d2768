/**
 * Reads the host key a server presents, without authenticating (what `ssh-keyscan` does): the
 * admin's "accept this key" step shows this fingerprint to compare with the one the device's
 * owner reads on its console. The connection is dropped right after the key exchange.
 */
import ssh2 from 'ssh2';
import { ProviderError } from '../errors.ts';
import { sha256Fingerprint } from './host-keys.ts';

const { Client } = ssh2; // CommonJS

export interface ScannedHostKey {
  readonly host: string;
  readonly port: number;
  readonly fingerprint: string;
}

export function scanHostKey(host: string, port: number, opts: { timeoutMs?: number; provider?: string } = {}): Promise<ScannedHostKey> {
  const provider = opts.provider ?? 'ssh';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let fingerprint: string | undefined;
    let settled = false;
    const done = (e?: ProviderError): void => {
      if (settled) return;
      settled = true;
      client.destroy();
      if (fingerprint !== undefined) resolve({ host, port, fingerprint });
      else reject(e ?? new ProviderError({ provider, op: 'scanHostKey', code: 'unavailable', reason: 'no-host-key', message: `${provider}: ${host}:${port} closed before presenting a host key` }));
    };
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (fingerprint !== undefined) return done();
      const timeout = err.level === 'client-timeout' || err.code === 'ETIMEDOUT';
      done(new ProviderError({
        provider, op: 'scanHostKey', code: timeout ? 'timeout' : 'unavailable', reason: timeout ? 'connect-timeout' : err.code === 'ECONNREFUSED' ? 'connection-refused' : 'connect-failed',
        message: `${provider}: ${host}:${port}: ${timeout ? `no SSH key exchange within ${timeoutMs} ms` : `cannot connect: ${err.code ?? err.message}`}`, cause: err,
      }));
    });
    client.on('close', () => done());
    client.connect({
      host, port, username: 'ganyun-host-key-scan', readyTimeout: timeoutMs, tryKeyboard: false,
      hostVerifier: (key: Buffer): boolean => {
        fingerprint = sha256Fingerprint(key);
        setImmediate(() => done());
        return false; // never authenticate: only the key was wanted
      },
    });
  });
}
