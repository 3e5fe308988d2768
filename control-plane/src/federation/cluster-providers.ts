/**
 * Kubernetes clusters as the control plane takes them: the credential an admin gives (validated here, then
 * sealed in `clouds.credentials` as a JSON document) and the settings kept in `clouds.config.kubernetes`. The
 * provider is built by the providers package's registry (`createDefaultRegistry`, cluster-factory.ts).
 */
import type { ClusterConnectionSettings } from '@ganyun/providers';
import { z } from 'zod';
import { bearerTokenSchema } from '../secrets/secret-text.ts';

/** Not secret. */
export type ClusterCloudConfig = ClusterConnectionSettings;

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
