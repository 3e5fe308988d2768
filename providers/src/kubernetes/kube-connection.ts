import type { KubeConfig } from '@kubernetes/client-node';
import { ProviderError } from '../errors.ts';

/** How to reach the cluster: a kubeconfig document, or a server URL with a bearer token and CA. */
export type KubernetesConnection =
  | { readonly type: 'kubeconfig'; readonly kubeconfig: string; readonly context?: string }
  | { readonly type: 'token'; readonly server: string; readonly token: string; readonly caData?: string };

/** pino-compatible. */
export interface KubernetesLogger {
  warn(fields: Record<string, unknown>, msg: string): void;
}

export interface KubernetesProviderOptions {
  readonly cloudId: string;
  readonly connection: KubernetesConnection;
  /** Skip TLS verification. Only when the cloud is explicitly configured so; logged as a warning. */
  readonly insecureSkipTlsVerify?: boolean;
  /** Extranet (电子政务外网) ranges the default-deny NetworkPolicy allows. */
  readonly extranetCidrs?: readonly string[];
  readonly extranetPlanes?: readonly (1 | 2)[];
  /** Group bound to ClusterRole `edit` in a space labelled `department: X` (default `ganyun:department:X`). */
  readonly departmentGroup?: (department: string) => string;
  readonly region?: string;
  readonly logger?: KubernetesLogger;
  /** How long an incremental listing waits on a watch for the cluster's bookmark (default 2000). */
  readonly watchTimeoutMs?: number;
  /** Retries of read → modify → replace after a 409 Conflict (default 4). */
  readonly conflictRetries?: number;
  readonly maxPageSize?: number;
  /** StorageClass of the volumes' claims (the cluster's default when absent). */
  readonly storageClass?: string;
}

/** Loads the connection into `kc`; a kubeconfig that skips TLS verification is refused unless the cloud opts out. */
export function loadKubeConfig(kc: KubeConfig, opts: KubernetesProviderOptions): void {
  const insecure = opts.insecureSkipTlsVerify === true;
  const c = opts.connection;
  if (c.type === 'kubeconfig') {
    kc.loadFromString(c.kubeconfig);
    if (c.context !== undefined) kc.setCurrentContext(c.context);
    const cluster = kc.getCurrentCluster();
    if (cluster?.skipTLSVerify === true && !insecure) {
      throw new ProviderError({
        provider: opts.cloudId,
        op: 'connect',
        code: 'invalid',
        reason: 'insecure-kubeconfig',
        message: `${opts.cloudId}: the kubeconfig skips TLS verification but the cloud is not configured with insecureSkipTlsVerify`,
      });
    }
  } else {
    kc.loadFromOptions({
      clusters: [{ name: opts.cloudId, server: c.server, skipTLSVerify: insecure, ...(c.caData !== undefined ? { caData: c.caData } : {}) }],
      users: [{ name: 'ganyun', token: c.token }],
      contexts: [{ name: opts.cloudId, cluster: opts.cloudId, user: 'ganyun' }],
      currentContext: opts.cloudId,
    });
  }
  if (insecure) {
    opts.logger?.warn({ cloudId: opts.cloudId }, 'TLS verification is disabled for this cloud (insecureSkipTlsVerify): configured explicitly; use a CA instead');
  }
}
