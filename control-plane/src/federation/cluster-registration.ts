/**
 * Registering a Kubernetes cluster: build the provider (which refuses a kubeconfig that skips TLS checks unless
 * the cloud opts out explicitly), connect (version and nodes), then store the row with the sealed credential.
 * Failures name the field to fix; nothing is stored.
 */
import { isProviderError, toProviderError } from '@ganyun/providers';
import { InputError } from '../errors.ts';
import type { ClusterCloudConfig, ClusterCredentialInput } from './cluster-providers.ts';
import { cloudsRepo } from './clouds-repo.ts';
import { assertIdFree, commitInStore, type CloudBasics, type RegistrationDeps } from './device-registration.ts';

export interface ClusterRegistration extends CloudBasics {
  kubernetes: ClusterCloudConfig;
  credential: ClusterCredentialInput;
}

export async function registerCluster(deps: RegistrationDeps, input: ClusterRegistration, commit = commitInStore(deps.store)): Promise<void> {
  await assertIdFree(deps.store, input.id);
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
    try {
      await built.provider.connectOnce({ signal: AbortSignal.timeout(deps.federation.options.fanOutDeadlineMs * 2) });
    } catch (e) {
      const err = isProviderError(e) ? e : toProviderError(e, input.id, 'connect');
      const text = `${err.message} ${String((err.cause as Error | undefined)?.message ?? '')}`;
      if (err.code === 'auth') throw new InputError('the cluster refused the credential (401/403)', 'credential', { cause: err });
      if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(text)) {
        throw new InputError('the API server certificate is not trusted: give the cluster CA (caData)', 'credential.caData', { cause: err });
      }
      throw new InputError(`cannot reach the cluster (${err.code}${err.reason ? `/${err.reason}` : ''})`, 'server', { cause: err });
    }
    // The connect ran outside any transaction; only the writes are committed (with the caller's audit record).
    await commit(async (tx) => {
      await assertIdFree(tx, input.id);
      await cloudsRepo.insert(tx, { ...record, sealedCredentials: deps.sealing.seal(token, `cloud:${input.id}`) });
    });
  } catch (e) {
    await built.provider.close();
    throw e;
  }
  await deps.federation.install({ record, token }, built);
}
