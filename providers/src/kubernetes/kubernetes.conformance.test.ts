/**
 * The shared provider conformance suite against the kube-apiserver fixture (a protocol-level stand-in:
 * no Kubernetes API server can run on these machines). A Kubernetes cloud offers workloads, not VMs,
 * so the fixture names a Deployment-backed workload as the resource the specs create.
 */
import { describeProviderConformance } from '../conformance.ts';
import { ProviderError } from '../errors.ts';
import type { FixtureSettings } from '../testing/kube-apiserver/kube-apiserver-fixture.ts';
import { fixtureProvider } from '../testing/kube-fixture-provider.ts';

const FAULTS: Readonly<Record<'none' | 'down' | 'throttled' | 'garbage' | 'failing-page', FixtureSettings & { throttle?: boolean }>> = {
  none: {},
  down: { down: true },
  throttled: { throttle: true },
  garbage: { garbage: true },
  'failing-page': {},
};

describeProviderConformance('kubernetes against the kube-apiserver fixture', async () => {
  const { fixture, provider: real, dispose } = await fixtureProvider();
  // 'failing-page' means "the second page of a listing fails once". One provider page may take several
  // list requests (namespaces, then deployments), so the fixture cannot tell page 2 at the HTTP level; it
  // is failed at the provider boundary instead (HTTP 5xx mapping and continue-token failures are covered
  // by kubernetes-provider.test.ts). The resume that follows is the real provider over real HTTP.
  let failNextPage = false;
  const provider = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'listInventory' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (req: Parameters<typeof real.listInventory>[0]) => {
        if (failNextPage && req.page !== undefined) {
          failNextPage = false;
          throw new ProviderError({ provider: real.cloudId, op: 'listInventory', code: 'unavailable', message: 'fixture: this page fails once' });
        }
        return real.listInventory(req);
      };
    },
  });
  return {
    provider,
    settle: async () => fixture.settleDeployments(),
    injectFault: async (f) => {
      const { throttle, ...settings } = FAULTS[f];
      for (const k of Object.keys(fixture.settings) as (keyof FixtureSettings)[]) delete fixture.settings[k];
      Object.assign(fixture.settings, settings);
      if (throttle === true) fixture.injectFault({ status: 429, retryAfterSeconds: 2, times: 1 });
      failNextPage = f === 'failing-page';
    },
    resourceSpec: (tenant, name, vcpu) => ({
      tenant, kind: 'workload', name, arch: 'x86_64', image: 'kylin-v10-sp3', size: { vcpu, memoryGiB: vcpu * 2, replicas: 1 },
    }),
    dispose,
  };
});
