import { describeProviderConformance } from '../conformance.ts';
import { CONFORMANCE_FAULTS, SETTLE_MS, smallProvider } from '../testing/small-clouds.ts';

describeProviderConformance('simulated (in-process)', async () => {
  // Some existing inventory, as a real cloud has, to prove specs count only their own.
  const provider = smallProvider({ initialResources: 40 });
  return {
    provider,
    settle: async () => provider.cloud.clock.advance(SETTLE_MS),
    injectFault: async (f) => provider.setFaults(CONFORMANCE_FAULTS[f]),
    dispose: () => provider.close(),
  };
});
