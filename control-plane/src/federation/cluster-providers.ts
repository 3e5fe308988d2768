/**
 * Builds the provider of a Kubernetes cluster from its registry row: settings in `clouds.config.kubernetes`,
 * the kubeconfig or bearer token (with its CA) sealed in `clouds.credentials` as a JSON document.
 * TLS is verified unless the cloud says `insecureSkipTlsVerify` (then every build logs a warning).
 */
import { KubernetesProvider, type KubernetesConnection } from '@ganyun/providers';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseSecret } from './device-providers.ts';
import { bearerTokenSchema } from '../secrets/secret-text.ts';

/** Not secret. */
export interface ClusterCloudConfig {
  /** API server URL (token connections; informative for kubeconfig ones). */
  server?: string;
  context?: string;
  insecureSkipTlsVerify?: boolean;
  extranetCidrs?: string[];
}

export const clusterCredentialSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('kubeconfig'), kubeconfig: z.string().min(20, 'paste the whole kubeconfig document').max(262_144) }),
  z.strictObject({
    type: z.literal('token'),
    token: bearerTokenSchema(8, 16_384),
    /** Base64 PEM of the cluster CA (as in a kubeconfig's certificate-authority-data), or PEM text. */
    caData: z.string().max(65_536).optional(),
  }),
]);
export type ClusterCredentialInput = z.infer<typeof clusterCredentialSchema>;

export function clusterProviderFor(
  record: { id: string; region: string; config: { kubernetes?: ClusterCloudConfig } },
  secret: string | null,
  log: Logger,
): KubernetesProvider {
  const k = record.config.kubernetes ?? {};
  if (!secret) throw new InputError('a Kubernetes cluster needs a kubeconfig or a token', 'credential');
  const parsed = clusterCredentialSchema.safeParse(parseSecret(secret));
  if (!parsed.success) throw new InputError('the stored cluster credential is not readable', 'credential');
  const c = parsed.data;
  let connection: KubernetesConnection;
  if (c.type === 'kubeconfig') connection = { type: 'kubeconfig', kubeconfig: c.kubeconfig, ...(k.context ? { context: k.context } : {}) };
  else {
    if (!k.server) throw new InputError('a token connection needs the API server URL', 'server');
    const caData = c.caData === undefined ? undefined : c.caData.includes('-----BEGIN') ? Buffer.from(c.caData).toString('base64') : c.caData;
    connection = { type: 'token', server: k.server, token: c.token, ...(caData ? { caData } : {}) };
  }
  return new KubernetesProvider({
    cloudId: record.id,
    region: record.region,
    connection,
    insecureSkipTlsVerify: k.insecureSkipTlsVerify === true,
    ...(k.extranetCidrs ? { extranetCidrs: k.extranetCidrs } : {}),
    logger: { warn: (fields, msg) => log.warn({ cloud: record.id, ...fields }, msg) },
  });
}
