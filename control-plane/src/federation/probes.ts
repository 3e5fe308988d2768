/**
 * Reachability probes through an SSH-managed host (`ping` / `ping -6`) or network device (`ping [ipv6]
 * [-vpn-instance X]`), stored with their time. Used by the API (devices.runProbe) and by other capabilities
 * (the extranet access check): `runProbe(deps, { cloudId, target, vpnInstance?, count? })`.
 *
 * A probe that ran is a result, reachable or not. A probe that could not run (session refused, device hung,
 * answer cut or unparseable) is stored too, as outcome `error` with the provider's error code, and returned:
 * the caller decides what an unverifiable target means. Bad input (unknown cloud, a cloud that cannot probe,
 * a target that is not an IP literal) throws and stores nothing.
 */
import { isIP } from 'node:net';
import { MAX_PING_COUNT, VPN_NAME, toProviderError, type ProbeResult } from '@ganyun/providers';
import { InputError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Metrics } from '../metrics.ts';
import type { Store } from '../store/store.ts';
import { probesRepo } from './probes-repo.ts';
import { cloudsRepo } from './clouds-repo.ts';
import { DEVICE_KINDS } from './device-providers.ts';
import type { FederationService } from './contract.ts';

export interface ProbeDeps {
  store: Store;
  federation: FederationService;
  metrics: Metrics;
  /** Who asked (user name, or the capability: `extranet-access-check`). */
  requestedBy?: string;
}

export interface ProbeRequest {
  cloudId: string;
  /** IPv4 or IPv6 literal. */
  target: string;
  /** Network devices only: the VPN instance to ping in. */
  vpnInstance?: string;
  /** 1–10, default 3. */
  count?: number;
}

export interface ProbeRecord {
  id: string;
  cloudId: string;
  target: string;
  family: 4 | 6;
  vpnInstance: string | null;
  count: number;
  outcome: 'reachable' | 'unreachable' | 'error';
  transmitted: number | null;
  received: number | null;
  lossPercent: number | null;
  rttMs: { min: number; avg: number; max: number } | null;
  errorCode: string | null;
  error: string | null;
  requestedBy: string | null;
  startedAt: string;
  finishedAt: string;
}

/** Probes and stores the result. */
export async function runProbe(deps: ProbeDeps, req: ProbeRequest): Promise<ProbeRecord> {
  const record = await probeNow(deps, req);
  await probesRepo.insert(deps.store, record);
  return record;
}

/**
 * Validates and runs the probe, and returns its record without storing it: for callers that keep the
 * (possibly long: a hung device takes its whole timeout) network wait outside their transaction and store
 * the record afterwards (`devices.runProbe` with `commitUnitOfWork`). Must not run inside a transaction: its reads
 * (and the host-key lookup) go through the store.
 */
export async function probeNow(deps: ProbeDeps, req: ProbeRequest): Promise<ProbeRecord> {
  const db = deps.store;
  const count = req.count ?? 3;
  const family = isIP(req.target);
  if (family !== 4 && family !== 6) throw new InputError('the target must be an IPv4 or IPv6 address (host names are not resolved on the far side)', 'target');
  if (!Number.isInteger(count) || count < 1 || count > MAX_PING_COUNT) throw new InputError(`count must be an integer from 1 to ${MAX_PING_COUNT}`, 'count');
  const cloud = await cloudsRepo.byId(db, req.cloudId);
  if (!cloud) throw new NotFoundError(`no cloud ${req.cloudId}`);
  if (!(DEVICE_KINDS as readonly string[]).includes(cloud.providerKind)) {
    throw new InputError(`cloud ${req.cloudId} is a ${cloud.providerKind} cloud: probes run through SSH-managed hosts and network devices`, 'cloudId');
  }
  if (req.vpnInstance !== undefined) {
    if (cloud.providerKind !== 'network-device') throw new InputError('VPN instances exist only on network devices', 'vpnInstance');
    if (!VPN_NAME.test(req.vpnInstance)) throw new InputError('a VPN instance name: letters, digits, _ . -, at most 31 characters', 'vpnInstance');
  }
  // The cloud's `probe` feature through its resilient provider: breaker, bulkhead and the call metrics (op `probe`).
  const prober = deps.federation.connected(req.cloudId)?.features?.probe;
  if (!prober) throw new NotFoundError(`cloud ${req.cloudId} is not connected`);

  const startedAt = new Date();
  let result: ProbeResult | undefined;
  let failure: { code: string; message: string } | undefined;
  try {
    // Devices wait up to 2 s per unanswered echo; the connect may take its own timeout first.
    result = await prober.probe(
      { target: req.target, count, ...(req.vpnInstance !== undefined ? { vpnInstance: req.vpnInstance } : {}) },
      { signal: AbortSignal.timeout((count * 2 + 15) * 1000) },
    );
  } catch (e) {
    const err = toProviderError(e, req.cloudId, 'probe');
    failure = { code: err.reason ? `${err.code}/${err.reason}` : err.code, message: err.message.slice(0, 500) };
  }
  const record: ProbeRecord = {
    id: newId(), cloudId: req.cloudId, target: req.target, family, vpnInstance: req.vpnInstance ?? null, count,
    outcome: result ? (result.reachable ? 'reachable' : 'unreachable') : 'error',
    transmitted: result?.transmitted ?? null, received: result?.received ?? null, lossPercent: result?.lossPercent ?? null,
    rttMs: result?.rttMs ?? null, errorCode: failure?.code ?? null, error: failure?.message ?? null,
    requestedBy: deps.requestedBy ?? null, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
  };
  return record;
}

