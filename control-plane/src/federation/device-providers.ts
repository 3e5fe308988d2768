/**
 * SSH-managed hosts and network devices as the control plane names them. Their providers are built by the
 * providers package's registry (`createDefaultRegistry`, ssh-cloud-factory.ts) from the registry row's
 * `config.ssh` and the credential sealed in `clouds.credentials` (a JSON document, opened only to build the
 * provider; never logged, returned or audited).
 */
import { DEVICE_VENDORS, SSH_CLOUD_KINDS, sshCredentialSchema, type SshConnectionSettings, type SshCredentialInput } from '@ganyun/providers';

export const DEVICE_KINDS = SSH_CLOUD_KINDS;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export { DEVICE_VENDORS, sshCredentialSchema, type SshCredentialInput };

/** Not secret: where and as whom to connect. */
export type SshCloudConfig = SshConnectionSettings;
