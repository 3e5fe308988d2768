/** Test helper: a KubernetesProvider wired to a fresh kube-apiserver FIXTURE. */
import { FIXTURE_TOKEN, startKubeApiserverFixture, type KubeApiserverFixture, type KubeApiserverFixtureOptions } from './kube-apiserver/kube-apiserver-fixture.ts';
import { KubernetesProvider, type KubernetesProviderOptions } from '../kubernetes/kubernetes-provider.ts';

export const EXTRANET = ['59.52.0.0/16', '2408:8000::/20'];

export async function fixtureProvider(
  overrides: Partial<KubernetesProviderOptions> = {}, token = FIXTURE_TOKEN, fixtureOptions: Pick<KubeApiserverFixtureOptions, 'kubevirt'> = {},
): Promise<{ fixture: KubeApiserverFixture; provider: KubernetesProvider; dispose(): Promise<void> }> {
  const fixture = await startKubeApiserverFixture({ tokens: { [FIXTURE_TOKEN]: { kinds: '*' }, 'no-deployments': { kinds: ['namespaces', 'nodes'] } }, ...fixtureOptions });
  const provider = new KubernetesProvider({
    cloudId: 'test-k8s',
    connection: { type: 'token', server: fixture.url, token, caData: fixture.caData },
    extranetCidrs: EXTRANET,
    watchTimeoutMs: 1000,
    ...overrides,
  });
  return { fixture, provider, dispose: async () => { await provider.close(); await fixture.close(); } };
}

/**
 * Someone else writes an object of `plural` between the provider's read and its replace, once: the first read
 * after a PUT has been seen stores the object again (MODIFIED, a new resourceVersion), so that PUT meets a 409
 * Conflict. For the specs of the read → modify → replace retry. Returns the store's own read, which bypasses the race.
 */
export function raceTheFirstReplace(fixture: KubeApiserverFixture, plural: string): KubeApiserverFixture['store']['get'] {
  let raced = false;
  const original = fixture.store.get.bind(fixture.store);
  spyOn(fixture.store, 'get').and.callFake((p, ns, name) => {
    if (!raced && p === plural && fixture.requests.some((r) => r.startsWith('PUT'))) {
      raced = true;
      const cur = original(p, ns, name);
      if (cur) fixture.store.put(plural, cur, 'MODIFIED');
    }
    return original(p, ns, name);
  });
  return original;
}
