/**
 * Registering an SSH-managed host or network device: connect first, store only what answered as expected.
 * The connect reads the whole inventory (facts, or interfaces and VPN instances), which proves the host key,
 * the credential and the vendor; that first inventory is stored in the same transaction as the row.
 * Each failure is an InputError naming the field to fix; nothing is stored, nothing stays connected.
 *
 * The network wait (up to the connect deadline on a host that hangs) happens before any transaction opens:
 * `commit` runs only the writes. The API passes one that appends the audit record in the same transaction.
 */
import { HostKeyError, isProviderError, toProviderError } from '@ganyun/providers';
import { ConflictError, InputError } from '../errors.ts';
import type { SealingService } from '../secrets/sealing.ts';
import type { Queryable, Store } from '../store/store.ts';
import { cloudsRepo, type CloudRecord } from './clouds-repo.ts';
import { objectsOf } from './device-inventory.ts';
import type { DeviceKind, SshCloudConfig, SshCredentialInput } from './device-providers.ts';
import type { FederationService } from './contract.ts';
import { inventoryRepo } from './inventory-repo.ts';

export type CloudBasics = Pick<CloudRecord, 'id' | 'name' | 'nameEn' | 'region' | 'kind' | 'siteRoles' | 'certifications' | 'dualActive' | 'enabled'>;

/** Runs `write` in one transaction (with whatever else the caller commits alongside, such as its audit record). */
export type CommitWrites = (write: (tx: Queryable) => Promise<void>) => Promise<void>;

export interface RegistrationDeps {
  store: Store;
  federation: FederationService;
  sealing: SealingService;
}

export const commitInStore = (store: Store): CommitWrites => (write) => store.transaction(write);

export interface DeviceRegistration extends CloudBasics {
  providerKind: DeviceKind;
  ssh: SshCloudConfig;
  credential: SshCredentialInput;
}

export async function registerDevice(deps: RegistrationDeps, input: DeviceRegistration, commit = commitInStore(deps.store)): Promise<void> {
  await assertIdFree(deps.store, input.id);
  if (input.providerKind === 'network-device' && !input.ssh.vendor) throw new InputError('a network device needs its vendor', 'vendor');
  const { credential, ssh, ...basics } = input;
  const record = {
    ...basics, endpoint: `ssh://${input.ssh.username}@${hostPart(ssh.host)}:${ssh.port}`,
    config: { ssh: input.providerKind === 'network-device' ? ssh : { host: ssh.host, port: ssh.port, username: ssh.username } },
  };
  const token = JSON.stringify(credential);
  const built = deps.federation.build({ record, token });
  try {
    const device = built.provider.features?.deviceInventory;
    if (!device) throw new InputError(`a ${input.providerKind} provider reads no device inventory`, 'providerKind');
    let objects: ReturnType<typeof objectsOf>;
    try {
      objects = objectsOf(device.host, await device.inventory({ signal: AbortSignal.timeout(deps.federation.options.fanOutDeadlineMs * 5) }));
    } catch (e) {
      throw connectFailure(e, input.id, `${ssh.host}:${ssh.port}`);
    }
    await commit(async (tx) => {
      await assertIdFree(tx, input.id); // another admin may have taken the id while this one connected
      await cloudsRepo.insert(tx, { ...record, sealedCredentials: deps.sealing.seal(token, `cloud:${input.id}`) });
      await inventoryRepo.upsertPage(tx, input.id, objects, new Date());
      await inventoryRepo.setCursor(tx, input.id, 'ssh:full');
    });
  } catch (e) {
    await built.provider.close();
    throw e;
  }
  await deps.federation.install({ record, token }, built);
}

export async function assertIdFree(db: Queryable, id: string): Promise<void> {
  if (await cloudsRepo.byId(db, id)) throw new ConflictError(`a cloud with id ${id} exists`, 'id');
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
export async function rotateCredential(deps: RegistrationDeps, cloud: CloudRecord, credential: unknown, commit = commitInStore(deps.store)): Promise<void> {
  const token = JSON.stringify(credential);
  const built = deps.federation.build({ record: cloud, token });
  try {
    try {
      await built.provider.connectOnce({ signal: AbortSignal.timeout(deps.federation.options.fanOutDeadlineMs * 5) });
    } catch (e) {
      const ssh = cloud.config.ssh;
      const failure = connectFailure(e, cloud.id, ssh ? `${ssh.host}:${ssh.port}` : (cloud.endpoint ?? cloud.id));
      throw failure.field === 'credential' ? failure : new InputError(failure.message, 'credential', { cause: failure });
    }
    const { regionName: _r, capacity: _c, ...row } = cloud;
    await commit((tx) => cloudsRepo.update(tx, { ...row, sealedCredentials: deps.sealing.seal(token, `cloud:${cloud.id}`) }));
  } catch (e) {
    await built.provider.close();
    throw e;
  }
  await deps.federation.install({ record: cloud, token }, built);
}
