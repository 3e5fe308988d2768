/**
 * Builds the provider of an SSH-managed host or network device from its definition (connection settings in
 * `definition.ssh`) and its opened credential (a JSON document, handed only to ssh2).
 */
import { z } from 'zod';
import { CloudDefinitionError, parseSecret, type CloudDefinition } from '../cloud-definition.ts';
import type { HostKeyChangedAlarm, KnownHosts } from './host-keys.ts';
import { SshCloudProvider, type SshCloudKind, type SshCloudOptions } from './ssh-cloud-provider.ts';
import type { SshCredential } from './types.ts';

export const SSH_CLOUD_KINDS = ['ssh-host', 'network-device'] as const satisfies readonly SshCloudKind[];
export const DEVICE_VENDORS = ['huawei-vrp', 'h3c-comware'] as const;

export const sshCredentialSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('password'), password: z.string().min(1, 'the password is empty').max(1024) }),
  z.strictObject({
    type: z.literal('key'),
    privateKey: z.string().min(1).max(16_384).regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'an OpenSSH or PEM private key'),
    passphrase: z.string().max(1024).optional(),
  }),
]);
export type SshCredentialInput = z.infer<typeof sshCredentialSchema>;

/** What the control plane supplies that the provider cannot know: the pinned keys and where alarms go. */
export interface SshCloudDeps {
  readonly knownHosts: KnownHosts;
  readonly onHostKeyChanged?: (cloudId: string, alarm: HostKeyChangedAlarm) => void;
  readonly pool?: SshCloudOptions['pool'];
}

export function openSshCredential(secret: string | null): SshCredential {
  if (!secret) throw new CloudDefinitionError('an SSH-managed cloud needs a password or a private key', 'credential');
  const parsed = sshCredentialSchema.safeParse(parseSecret(secret));
  if (!parsed.success) throw new CloudDefinitionError('the stored SSH credential is not readable', 'credential');
  const c = parsed.data;
  return c.type === 'password' ? c : { type: 'key', privateKey: c.privateKey, ...(c.passphrase !== undefined ? { passphrase: c.passphrase } : {}) };
}

export function sshCloudProviderFor(definition: CloudDefinition, secret: string | null, deps: SshCloudDeps): SshCloudProvider {
  const ssh = definition.ssh;
  if (!ssh) throw new CloudDefinitionError('an SSH-managed cloud needs its host, port and user name', 'host');
  const kind = definition.provider as SshCloudKind;
  if (kind === 'network-device' && !ssh.vendor) throw new CloudDefinitionError('a network device needs its vendor (huawei-vrp or h3c-comware)', 'vendor');
  const alarm = deps.onHostKeyChanged;
  return new SshCloudProvider({
    cloudId: definition.id,
    kind,
    region: definition.region,
    target: {
      id: definition.id, host: ssh.host, port: ssh.port, username: ssh.username, credential: openSshCredential(secret),
      ...(ssh.vendor ? { vendor: ssh.vendor } : {}), ...(ssh.session ? { session: ssh.session } : {}),
    },
    knownHosts: deps.knownHosts,
    ...(alarm ? { onHostKeyChanged: (a: HostKeyChangedAlarm) => alarm(definition.id, a) } : {}),
    ...(deps.pool ? { pool: deps.pool } : {}),
  });
}
