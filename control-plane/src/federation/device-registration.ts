/**
 * Registering an SSH-managed host or network device: connect first, store only what answered as expected.
 * The connect reads the whole inventory (facts, or interfaces and VPN instances), which proves the host key,
 * the credential and the vendor; that first inventory is stored in the same transaction as the row.
 * Each failure is an InputError naming the field to fix; nothing is stored, nothing stays connected.
 */
import { HostKeyError, isProviderError, toProviderError, type SshCloudProvider } from '@ganyun/providers';
import { ConflictError, InputError } from '../errors.ts';
import type { SealingService } from '../secrets/sealing.ts';
import type { Queryable } from '../store/store.ts';
import { cloudsRepo, type CloudRecord } from './clouds-repo.ts';
import { objectsOf } from './device-inventory.ts';
import type { DeviceKind, SshCloudConfig, SshCredentialInput } from './device-providers.ts';
import type { Federation } from './federation.ts';
import { inventoryRepo } from './inventory-repo.ts';
import { withKnownHostsDb } from './known-hosts-repo.ts';

export type CloudBasics = Pick<CloudRecord, 'id' | 'name' | 'nameEn' | 'region' | 'kind' | 'siteRoles' | 'certifications' | 'dualActive' | 'enabled'>;

export interface DeviceRegistration extends CloudBasics {
  providerKind: DeviceKind;
  ssh: SshCloudConfig;
  credential: SshCredentialInput;
}

export async function registerDevice(db: Queryable, deps: { federation: Federation; sealing: SealingService }, input: DeviceRegistration): Promise<void> {
  if (await cloudsRepo.byId(db, input.id)) throw new ConflictError(`a cloud with id ${input.id} exists`, 'id');
  if (input.providerKind === 'network-device' && !input.ssh.vendor) throw new InputError('a network device needs its vendor', 'vendor');
  const { credential, ssh, ...basics } = input;
  const record = {
    ...basics, endpoint: `ssh://${input.ssh.username}@${hostPart(ssh.host)}:${ssh.port}`,
    config: { ssh: input.providerKind === 'network-device' ? ssh : { host: ssh.host, port: ssh.port, username: ssh.username } },
  };
  const token = JSON.stringify(credential);
  const built = deps.federation.build({ record, token });
  const inner = built.inner as SshCloudProvider;
  let objects: ReturnType<typeof objectsOf>;
  try {
    const inv = await withKnownHostsDb(db, () => inner.inventory({ signal: AbortSignal.timeout(deps.federation.options.fanOutDeadlineMs * 5) }));
    objects = objectsOf(inner, inv);
  } catch (e) {
    await built.inner.close();
    throw connectFailure(e, input.id, `${ssh.host}:${ssh.port}`);
  }
  await cloudsRepo.insert(db, { ...record, sealedCredentials: deps.sealing.seal(token, `cloud:${input.id}`) });
  await inventoryRepo.upsertPage(db, input.id, objects, new Date());
  await inventoryRepo.setCursor(db, input.id, 'ssh:full');
  await deps.federation.install({ record, token }, built);
}

/** What the admin should fix, by the provider's typed error. */
export function connectFailure(e: unknown, cloudId: string, where: string): InputError {
  if (e instanceof HostKeyError) {
    return e.reason === 'host-key-unknown'
      ? new InputError(`unknown host key ${e.presentedFingerprint} at ${where}: compare it with the device's own and accept it before registering`, 'host', { cause: e })
      : new InputError(`the host key of ${where} changed (pinned ${e.expectedFingerprint}, presented ${e.presentedFingerprint}): refused and an alarm was raised`, 'host', { cause: e });
  }
  const err = isProviderError(e) ? e : toProviderError(e, cloudId, 'connect');
  if (err.code === 'auth') return new InputError('the host refused the credential (wrong user name, password or key)', 'credential', { cause: err });
  if (err.code === 'timeout') return new InputError(`${where} did not answer in time (${err.reason ?? 'timeout'})`, 'host', { cause: err });
  if (err.code === 'garbage') return new InputError(`the answers of ${where} are cut or not in the expected format (${err.reason ?? 'garbage'}): check the vendor`, 'vendor', { cause: err });
  if (err.code === 'invalid' && err.reason === 'command-rejected') return new InputError(`${where} rejected the commands: check the vendor`, 'vendor', { cause: err });
  if (err.code === 'invalid' && err.reason === 'bad-credential') return new InputError('the private key cannot be used (wrong format or passphrase)', 'credential', { cause: err });
  return new InputError(`cannot reach ${where} (${err.code}${err.reason ? `/${err.reason}` : ''})`, 'host', { cause: err });
}

function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Rotates the sealed credential of a registered host, device or cluster: the new one must connect (for SSH,
 * through the pinned host key) before it replaces the old; a refusal changes nothing and the old one keeps working.
 */
export async function rotateCredential(db: Queryable, deps: { federation: Federation; sealing: SealingService }, cloud: CloudRecord, credential: unknown): Promise<void> {
  const token = JSON.stringify(credential);
  const built = deps.federation.build({ record: cloud, token });
  try {
    const signal = AbortSignal.timeout(deps.federation.options.fanOutDeadlineMs * 5);
    await withKnownHostsDb(db, () => built.inner.connect({ signal }));
  } catch (e) {
    await built.inner.close();
    const ssh = cloud.config.ssh;
    const failure = connectFailure(e, cloud.id, ssh ? `${ssh.host}:${ssh.port}` : (cloud.endpoint ?? cloud.id));
    throw failure.field === 'credential' ? failure : new InputError(failure.message, 'credential', { cause: failure });
  }
  const { regionName: _r, capacity: _c, ...row } = cloud;
  await cloudsRepo.update(db, { ...row, sealedCredentials: deps.sealing.seal(token, `cloud:${cloud.id}`) });
  await deps.federation.install({ record: cloud, token }, built);
}
