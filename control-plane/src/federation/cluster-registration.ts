/**
 * Registering a Kubernetes cluster: build the provider (which refuses a kubeconfig that skips TLS checks unless
 * the cloud opts out explicitly), connect (version and nodes), then store the row with the sealed credential.
 * Failures name the field to fix; nothing is stored.
 */
import { isProviderError, toProviderError } from '@ganyun/providers';
import { ConflictError, InputError } from '../errors.ts';
import type { SealingService } from '../secrets/sealing.ts';
import type { Queryable } from '../store/store.ts';
import type { ClusterCloudConfig, ClusterCredentialInput } from './cluster-providers.ts';
import { cloudsRepo } from './clouds-repo.ts';
import type { CloudBasics } from './device-registration.ts';
import type { Federation } from './federation.ts';

export interface ClusterRegistration extends CloudBasics {
  kubernetes: ClusterCloudConfig;
  credential: ClusterCredentialInput;
}

export async function registerCluster(db: Queryable, deps: { federation: Federation; sealing: SealingService }, input: ClusterRegistration): Promise<void> {
  if (await cloudsRepo.byId(db, input.id)) throw new ConflictError(`a cloud with id ${input.id} exists`, 'id');
  if (input.credential.type === 'token' && !input.kubernetes.server) throw new InputError('a token connection needs the API server URL', 'server');
  const { credential, kubernetes, ...basics } = input;
  const record = { ...basics, providerKind: 'kubernetes', endpoint: kubernetes.server ?? null, config: { kubernetes } };
  const token = JSON.stringify(credential);
  let built;
  try {
    built = deps.federation.build({ record, token });
  } catch (e) {
    if (isProviderError(e) && e.reason === 'insecure-kubeconfig') {
      throw new InputError('the kubeconfig skips TLS verification: give the cluster CA, or opt out explicitly with insecureSkipTlsVerify', 'insecureSkipTlsVerify', { cause: e });
    }
    if (isProviderError(e) || (e instanceof Error && !(e instanceof InputError))) throw new InputError(`the kubeconfig cannot be used: ${e.message}`, 'credential', { cause: e });
    throw e;
  }
  try {
    await built.inner.connect({ signal: AbortSignal.timeout(deps.federation.options.fanOutDeadlineMs * 2) });
  } catch (e) {
    await built.inner.close();
    const err = isProviderError(e) ? e : toProviderError(e, input.id, 'connect');
    const text = `${err.message} ${String((err.cause as Error | undefined)?.message ?? '')}`;
    if (err.code === 'auth') throw new InputError('the cluster refused the credential (401/403)', 'credential', { cause: err });
    if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(text)) {
      throw new InputError('the API server certificate is not trusted: give the cluster CA (caData)', 'credential.caData', { cause: err });
    }
    throw new InputError(`cannot reach the cluster (${err.code}${err.reason ? `/${err.reason}` : ''})`, 'server', { cause: err });
  }
  await cloudsRepo.insert(db, { ...record, sealedCredentials: deps.sealing.seal(token, `cloud:${input.id}`) });
  await deps.federation.install({ record, token }, built);
}
