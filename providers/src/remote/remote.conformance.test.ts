import { describeProviderConformance } from '../conformance.ts';
import { startSimServer } from '../simulated/http-server.ts';
import { CONFORMANCE_FAULTS, SETTLE_MS, smallCloud } from '../testing/small-clouds.ts';
import { RemoteProvider } from './remote-provider.ts';
import { SimAdminClient } from './sim-admin-client.ts';

describeProviderConformance('remote (HTTP) against a sim server', async () => {
  const token = 'conformance-token';
  const server = await startSimServer({ cloud: smallCloud({ cloudId: 'test-remote', initialResources: 40 }), token });
  const admin = new SimAdminClient(server.url, token);
  const provider = new RemoteProvider({ cloudId: 'test-remote', endpoint: server.url, token });
  return {
    provider,
    settle: async () => void (await admin.advance(SETTLE_MS)),
    injectFault: async (f) => void (await admin.setFaults(CONFORMANCE_FAULTS[f])),
    dispose: async () => {
      await provider.close();
      await server.close();
    },
  };
});
