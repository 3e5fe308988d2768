/**
 * One description of a cloud from the federation file to the registry row to the provider: a federation-file
 * entry (`CloudEntry`) plus, for the kinds reached over SSH or the Kubernetes API, their connection settings.
 * The credential travels apart, opened only to build the provider (`ProviderInput.secret`).
 */
import type { CloudEntry } from './federation-config.ts';
import type { DeviceVendor } from './ssh/types.ts';

/** SSH-managed hosts and network devices: where and as whom to connect (not secret). */
export interface SshConnectionSettings {
  host: string;
  port: number;
  username: string;
  vendor?: DeviceVendor;
  /** Network devices: commands over `exec` channels, or an interactive `shell` (most VRP / Comware VTYs). */
  session?: 'exec' | 'shell';
}

/** Kubernetes clusters (not secret). */
export interface ClusterConnectionSettings {
  /** API server URL (token connections; informative for kubeconfig ones). */
  server?: string;
  context?: string;
  insecureSkipTlsVerify?: boolean;
  extranetCidrs?: string[];
}

export type CloudDefinition = CloudEntry & {
  readonly ssh?: SshConnectionSettings;
  readonly kubernetes?: ClusterConnectionSettings;
};

/** What the registry builds a provider from. */
export interface ProviderInput {
  readonly definition: CloudDefinition;
  /**
   * The opened credential: a remote cloud's bearer token as is; a JSON document for SSH (`{type: 'password' | 'key', …}`)
   * and Kubernetes (`{type: 'kubeconfig' | 'token', …}`). Never logged, never put into an error.
   */
  readonly secret: string | null;
}

/** A definition or credential a provider cannot be built from; `field` names what to fix. Never quotes a secret. */
export class CloudDefinitionError extends Error {
  override readonly name = 'CloudDefinitionError';

  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** JSON.parse's own message quotes the text it choked on: never let a credential reach an error or a log. */
export function parseSecret(secret: string): unknown {
  try {
    return JSON.parse(secret);
  } catch {
    return undefined;
  }
}
