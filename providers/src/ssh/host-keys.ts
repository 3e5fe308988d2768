/**
 * Host-key pinning. Ganyun keeps its own known-hosts (the control plane backs `KnownHosts`
 * with its store); nothing here reads ~/.ssh/known_hosts. An unknown key is refused until an
 * admin accepts it once; a changed key is refused and raises an alarm.
 */
import { createHash } from 'node:crypto';

export interface PinnedHostKey {
  /** `SHA256:<base64 without padding>`, exactly as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
}

export interface KnownHosts {
  lookup(host: string, port: number): PinnedHostKey | undefined | Promise<PinnedHostKey | undefined>;
}

export interface HostKeyChangedAlarm {
  readonly targetId: string;
  readonly host: string;
  readonly port: number;
  readonly expectedFingerprint: string;
  readonly presentedFingerprint: string;
}

export type HostKeyVerdict =
  | { readonly ok: true; readonly fingerprint: string }
  | { readonly ok: false; readonly reason: 'host-key-unknown'; readonly fingerprint: string }
  | { readonly ok: false; readonly reason: 'host-key-changed'; readonly fingerprint: string; readonly expected: string };

/** SHA256 fingerprint of a raw SSH public-key blob (what ssh2 hands to `hostVerifier`). */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Fingerprint of an OpenSSH public-key line (`ssh-ed25519 AAAA… comment`), e.g. a host's .pub file. */
export function fingerprintOfPublicKeyLine(line: string): string {
  const parts = line.trim().split(/\s+/);
  const blob = parts[1];
  if (parts.length < 2 || blob === undefined || !/^[A-Za-z0-9+/]+=*$/.test(blob)) {
    throw new Error('not an OpenSSH public-key line');
  }
  return sha256Fingerprint(Buffer.from(blob, 'base64'));
}

export function verifyHostKey(pinned: PinnedHostKey | undefined, keyBlob: Buffer): HostKeyVerdict {
  const fingerprint = sha256Fingerprint(keyBlob);
  if (pinned === undefined) return { ok: false, reason: 'host-key-unknown', fingerprint };
  if (pinned.fingerprint !== fingerprint) return { ok: false, reason: 'host-key-changed', fingerprint, expected: pinned.fingerprint };
  return { ok: true, fingerprint };
}

/** In-memory known-hosts: for tests and for tools; the control plane uses its store. */
export class InMemoryKnownHosts implements KnownHosts {
  private readonly pins = new Map<string, PinnedHostKey>();

  lookup(host: string, port: number): PinnedHostKey | undefined {
    return this.pins.get(`${host}:${port}`);
  }

  /** What an admin's "accept this key" does: pin the fingerprint shown in the refusal. */
  accept(host: string, port: number, fingerprint: string): void {
    this.pins.set(`${host}:${port}`, { fingerprint });
  }

  forget(host: string, port: number): void {
    this.pins.delete(`${host}:${port}`);
  }
}
