/**
 * Builds the provider of an SSH-managed host or network device from its registry row: connection settings in
 * `clouds.config.ssh`, the credential sealed in `clouds.credentials` (a JSON document, opened only here and handed
 * to ssh2; never logged, returned or audited).
 */
import { SshCloudProvider, type SshCredential } from '@ganyun/providers';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import type { HostKeyAlarms, StoreKnownHosts } from './known-hosts-repo.ts';

export const DEVICE_KINDS = ['ssh-host', 'network-device'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DEVICE_VENDORS = ['huawei-vrp', 'h3c-comware'] as const;

/** Not secret: where and as whom to connect. */
export interface SshCloudConfig {
  host: string;
  port: number;
  username: string;
  vendor?: (typeof DEVICE_VENDORS)[number];
  /** Network devices: commands over `exec` channels, or an interactive `shell` (most VRP / Comware VTYs). */
  session?: 'exec' | 'shell';
}

export const sshCredentialSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('password'), password: z.string().min(1, 'the password is empty').max(1024) }),
  z.strictObject({
    type: z.literal('key'),
    privateKey: z.string().min(1).max(16_384).regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'an OpenSSH or PEM private key'),
    passphrase: z.string().max(1024).optional(),
  }),
]);
export type SshCredentialInput = z.infer<typeof sshCredentialSchema>;

export interface DeviceProviderDeps {
  knownHosts: StoreKnownHosts;
  alarms: HostKeyAlarms;
  pool?: { connectTimeoutMs?: number; commandTimeoutMs?: number; maxConcurrentPerTarget?: number };
}

export function openSshCredential(secret: string | null): SshCredential {
  if (!secret) throw new InputError('an SSH-managed cloud needs a password or a private key', 'credential');
  const parsed = sshCredentialSchema.safeParse(parseSecret(secret));
  if (!parsed.success) throw new InputError('the stored SSH credential is not readable', 'credential');
  const c = parsed.data;
  return c.type === 'password' ? c : { type: 'key', privateKey: c.privateKey, ...(c.passphrase !== undefined ? { passphrase: c.passphrase } : {}) };
}

export function deviceProviderFor(
  record: { id: string; providerKind: string; region: string; config: { ssh?: SshCloudConfig } },
  secret: string | null,
  deps: DeviceProviderDeps,
): SshCloudProvider {
  const ssh = record.config.ssh;
  if (!ssh) throw new InputError('an SSH-managed cloud needs its host, port and user name', 'host');
  const kind = record.providerKind as DeviceKind;
  if (kind === 'network-device' && !ssh.vendor) throw new InputError('a network device needs its vendor (huawei-vrp or h3c-comware)', 'vendor');
  return new SshCloudProvider({
    cloudId: record.id,
    kind,
    region: record.region,
    target: {
      id: record.id, host: ssh.host, port: ssh.port, username: ssh.username, credential: openSshCredential(secret),
      ...(ssh.vendor ? { vendor: ssh.vendor } : {}), ...(ssh.session ? { session: ssh.session } : {}),
    },
    knownHosts: deps.knownHosts,
    onHostKeyChanged: (alarm) => deps.alarms.report(record.id, alarm),
    ...(deps.pool ? { pool: deps.pool } : {}),
  });
}

/** JSON.parse's own message quotes the text it choked on: never let a credential reach an error or a log. */
export function parseSecret(secret: string): unknown {
  try {
    return JSON.parse(secret);
  } catch {
    return undefined;
  }
}
