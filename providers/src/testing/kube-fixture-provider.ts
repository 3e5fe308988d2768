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
