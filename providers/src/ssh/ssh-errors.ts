/**
 * Errors of the SSH provider: all are ProviderErrors. Host-key refusals carry the presented
 * fingerprint so that an admin can accept an unknown key once.
 */
import { ProviderError, type ProviderErrorInit } from '../errors.ts';

export type HostKeyReason = 'host-key-unknown' | 'host-key-changed';

export interface HostKeyErrorInit {
  readonly provider: string;
  readonly op: string;
  readonly reason: HostKeyReason;
  readonly host: string;
  readonly port: number;
  /** SHA256 fingerprint the server presented (`SHA256:…`, as `ssh-keygen -l` prints it). */
  readonly presentedFingerprint: string;
  /** The pinned one, when the key changed. */
  readonly expectedFingerprint?: string;
}

export class HostKeyError extends ProviderError {
  readonly host: string;
  readonly port: number;
  readonly presentedFingerprint: string;
  readonly expectedFingerprint?: string;

  constructor(init: HostKeyErrorInit) {
    const what =
      init.reason === 'host-key-unknown'
        ? `unknown host key ${init.presentedFingerprint}: an admin must accept it before Ganyun connects`
        : `host key changed (pinned ${init.expectedFingerprint}, presented ${init.presentedFingerprint}): refused`;
    super({ provider: init.provider, op: init.op, code: 'auth', reason: init.reason, message: `${init.provider}: ${init.host}:${init.port}: ${what}` });
    this.host = init.host;
    this.port = init.port;
    this.presentedFingerprint = init.presentedFingerprint;
    if (init.expectedFingerprint !== undefined) this.expectedFingerprint = init.expectedFingerprint;
  }
}

export function isHostKeyError(e: unknown): e is HostKeyError {
  return e instanceof HostKeyError;
}

/** Shorthand used across the SSH provider. */
export function sshError(init: ProviderErrorInit): ProviderError {
  return new ProviderError(init);
}
