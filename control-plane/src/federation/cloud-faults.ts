/**
 * Fault switches of simulated clouds (in-process, or sim servers reached over HTTP): for tests, demos and
 * the breaker bench. They are the providers' `faults` feature; any other cloud has none and refuses them.
 */
import type { FaultSettings, Provider } from '@ganyun/providers';
import { InputError } from '../errors.ts';

export async function setCloudFaults(provider: Provider, faults: FaultSettings): Promise<FaultSettings> {
  const switches = provider.features?.faults;
  if (!switches) throw new InputError('only simulated clouds accept faults', 'faults');
  try {
    return await switches.set(faults);
  } catch (e) {
    throw new InputError(e instanceof Error ? e.message : String(e), 'faults', { cause: e });
  }
}

/** The faults a simulated cloud is in; null for other clouds (and for a sim server that does not answer within 500 ms). */
export async function cloudFaults(provider: Provider): Promise<FaultSettings | null> {
  return (await provider.features?.faults?.current()) ?? null;
}
