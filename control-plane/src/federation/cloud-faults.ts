/**
 * Fault switches of simulated clouds (in-process, or sim servers reached over HTTP): for tests, demos and
 * the breaker bench. Any other cloud refuses them.
 */
import { RemoteProvider, SimAdminClient, SimulatedProvider, type FaultSettings, type Provider } from '@ganyun/providers';
import { InputError } from '../errors.ts';

/** What the federation knows of a live cloud that faults need. */
export interface FaultTarget {
  inner: Provider;
  endpoint: string | null;
  token: string | null;
}

export async function setCloudFaults(c: FaultTarget, faults: FaultSettings): Promise<FaultSettings> {
  if (c.inner instanceof SimulatedProvider) {
    try {
      c.inner.setFaults(faults);
    } catch (e) {
      throw new InputError(e instanceof Error ? e.message : String(e), 'faults', { cause: e });
    }
    return c.inner.faults.current;
  }
  if (c.inner instanceof RemoteProvider && c.endpoint) {
    try {
      return await new SimAdminClient(c.endpoint, c.token ?? undefined).setFaults(faults);
    } catch (e) {
      throw new InputError('the cloud does not accept faults: only simulated clouds (in-process or sim servers) do', 'faults', { cause: e });
    }
  }
  throw new InputError('only simulated clouds accept faults', 'faults');
}

/** The faults a simulated cloud is in; null for other clouds (and for a sim server that does not answer within 500 ms). */
export async function cloudFaults(c: FaultTarget): Promise<FaultSettings | null> {
  if (c.inner instanceof SimulatedProvider) return c.inner.faults.current;
  if (c.inner instanceof RemoteProvider && c.endpoint) {
    const admin = new SimAdminClient(c.endpoint, c.token ?? undefined);
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 500).unref());
    return Promise.race([admin.faults().catch(() => null), timeout]);
  }
  return null;
}
