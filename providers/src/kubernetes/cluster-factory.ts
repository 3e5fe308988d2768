/**
 * Builds the provider of a Kubernetes cluster from its definition (`definition.kubernetes`) and its opened
 * credential, a JSON document: a kubeconfig, or a bearer token with its CA. TLS is verified unless the cloud says
 * `insecureSkipTlsVerify` (then every build logs a warning).
 */
import { z } from 'zod';
import { CloudDefinitionError, parseSecret, type CloudDefinition } from '../cloud-definition.ts';
import type { KubernetesConnection, KubernetesLogger } from './kube-connection.ts';
import { KubernetesProvider } from './kubernetes-provider.ts';

/** The stored document's shape (the API validated the credential when it was given). */
const storedClusterCredential = z.discriminatedUnion('type', [
  z.object({ type: z.literal('kubeconfig'), kubeconfig: z.string().min(1) }),
  z.object({ type: z.literal('token'), token: z.string().min(1), caData: z.string().optional() }),
]);

export function clusterProviderFor(definition: CloudDefinition, secret: string | null, logger?: KubernetesLogger): KubernetesProvider {
  const k = definition.kubernetes ?? {};
  if (!secret) throw new CloudDefinitionError('a Kubernetes cluster needs a kubeconfig or a token', 'credential');
  const parsed = storedClusterCredential.safeParse(parseSecret(secret));
  if (!parsed.success) throw new CloudDefinitionError('the stored cluster credential is not readable', 'credential');
  const c = parsed.data;
  let connection: KubernetesConnection;
  if (c.type === 'kubeconfig') connection = { type: 'kubeconfig', kubeconfig: c.kubeconfig, ...(k.context ? { context: k.context } : {}) };
  else {
    if (!k.server) throw new CloudDefinitionError('a token connection needs the API server URL', 'server');
    const caData = c.caData === undefined ? undefined : c.caData.includes('-----BEGIN') ? Buffer.from(c.caData).toString('base64') : c.caData;
    connection = { type: 'token', server: k.server, token: c.token, ...(caData ? { caData } : {}) };
  }
  return new KubernetesProvider({
    cloudId: definition.id,
    region: definition.region,
    connection,
    insecureSkipTlsVerify: k.insecureSkipTlsVerify === true,
    ...(k.extranetCidrs ? { extranetCidrs: k.extranetCidrs } : {}),
    ...(logger ? { logger: { warn: (fields, msg) => logger.warn({ cloud: definition.id, ...fields }, msg) } } : {}),
  });
}
