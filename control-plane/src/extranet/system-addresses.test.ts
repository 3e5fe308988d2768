import type { AppDeps } from '../context.ts';
import { freshDeps } from '../testing/harness.ts';
import { attachmentsRepo } from './inventory-repo.ts';
import { extranetAddressHook } from './system-addresses.ts';
import { buildAddressing, buildExtranet, insertCloud } from '../testing/extranet-fixtures.ts';

describe('onboarding hook: a placed system gets its addresses on both planes', () => {
  let deps: AppDeps;
  const input = (key: string, cloudId = 'gov-cloud') => ({ systemId: '0b7e3a52-6f1d-4c55-9a4e-2f1a3c5d7e90', departmentId: '0b7e3a52-6f1d-4c55-9a4e-2f1a3c5d7e91', cloudId, idempotencyKey: key });
  beforeEach(async () => {
    deps = await freshDeps();
    const ids = await buildExtranet(deps.store, []);
    const ipam = await buildAddressing(deps.store);
    await insertCloud(deps.store, 'gov-cloud');
    await insertCloud(deps.store, 'lonely-cloud');
    for (const [i, planeId] of ['plane-1', 'plane-2'].entries()) {
      const vrf = ipam.vrfs.get(planeId)!.vrf;
      const [v4, v6] = [`172.16.${i}.0/30`, `240e:6c${i}:1::/126`];
      await deps.store.query(
        `INSERT INTO ipam_prefixes (id, vrf_id, cidr, family, depth, kind, plane_id) VALUES (gen_random_uuid(), $1, $2::cidr, 'ipv4', 0, 'aggregate', $4), (gen_random_uuid(), $1, $3::cidr, 'ipv6', 0, 'aggregate', $4)`,
        [vrf, v4, v6, planeId],
      );
      await attachmentsRepo.upsert(deps.store, { cloudId: 'gov-cloud', planeId, peDeviceId: ids.get(i ? 'PE-2' : 'PE-1')!, vrfId: vrf, prefixV4: v4, prefixV6: v6, probeV4: null, probeV6: null, state: 'up' });
    }
  });

  it('assigns one address per plane and family, the same again for a repeated step, and releases exactly those', async () => {
    const hook = extranetAddressHook(deps.store);
    const first = await hook.assign(input('step-1'));
    // Never a network, broadcast or subnet-router anycast address: the first usable host of each /30 and /126.
    expect(first.addresses.map((a) => `${a.plane} ${a.address}`)).toEqual(['plane-1 172.16.0.1', 'plane-1 240e:6c0:1::1', 'plane-2 172.16.1.1', 'plane-2 240e:6c1:1::1']);
    expect(await hook.assign(input('step-1'))).toEqual(first);
    const second = await hook.assign(input('step-2'));
    expect(second.addresses.map((a) => a.address)).toEqual(['172.16.0.2', '240e:6c0:1::2', '172.16.1.2', '240e:6c1:1::2']);
    await hook.release(input('step-1'), first);
    const left = await deps.store.query<{ address: string }>('SELECT host(address) AS address FROM ipam_addresses ORDER BY address');
    expect(left.map((r) => r.address)).toEqual(['172.16.0.2', '172.16.1.2', '240e:6c0:1::2', '240e:6c1:1::2']);
  });

  it('says why nothing was assigned for a cloud with no attachment, and refuses when a prefix is full, assigning nothing', async () => {
    const hook = extranetAddressHook(deps.store);
    expect(await hook.assign(input('k', 'lonely-cloud'))).toEqual({ addresses: [], skipped: 'cloud lonely-cloud is not attached to any extranet plane' });
    await hook.assign(input('a'));
    await hook.assign(input('b')); // a /30 has two usable hosts
    await expectAsync(hook.assign(input('c'))).toBeRejectedWithError(/no free address left in 172.16.0.0\/30/);
    const [row] = await deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ipam_addresses WHERE idempotency_key LIKE 'c:%'`);
    expect(row!.n).toBe(0);
  });
});
