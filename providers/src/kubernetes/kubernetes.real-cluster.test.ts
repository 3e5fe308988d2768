/** Opt-in, read-only: runs against a real cluster when KUBECONFIG is set (see README.md). */
import { readFileSync } from 'node:fs';
import { KubernetesProvider } from './kubernetes-provider.ts';

const path = process.env['KUBECONFIG'];

if (path === undefined || path === '') {
  describe('KubernetesProvider against a real cluster', () => {
    it('is opt-in: set KUBECONFIG=/path/to/kubeconfig (read-only: connect, observe, inventory) to run it', () => {
      expect(process.env['KUBECONFIG'] ?? '').toBe('');
    });
  });
} else {
  describe('KubernetesProvider against a real cluster (KUBECONFIG)', () => {
    const provider = new KubernetesProvider({
      cloudId: 'real-cluster',
      connection: { type: 'kubeconfig', kubeconfig: readFileSync(path.split(':')[0], 'utf8') },
      insecureSkipTlsVerify: process.env['GANYUN_K8S_INSECURE'] === '1',
      watchTimeoutMs: 3000,
    });
    afterAll(() => provider.close());

    it('connects, observes a space that is not there, and reads inventory and capacity', async () => {
      const info = await provider.connect();
      expect(info.capabilities.platforms.length).toBeGreaterThan(0);
      const ghost = await provider.observeTenantSpace({ name: `ganyun-absent-${process.pid}`, quota: { vcpu: 1, memoryGiB: 1, storageGiB: 1, gpu: 0 } });
      expect(ghost.exists).toBeFalse();
      const page = await provider.listInventory({ pageSize: 50 });
      expect(page.full).toBeTrue();
      expect((await provider.capacity()).pools.length).toBeGreaterThan(0);
    });
  });
}
