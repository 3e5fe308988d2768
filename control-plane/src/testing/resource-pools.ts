import { addCloudPools } from '../resources/address-pools.ts';
import type { Queryable } from '../store/store.ts';

/**
 * Specs only: address pools for the named clouds, both networks and families, in a VRF of their own
 * (extranet 10.<80+i>.0.0/16 and fd00:<80+i>::/48; internet-facing 198.18.<i>.0/24 and 2001:db8:<i+1>::/48).
 */
export async function seedResourcePools(db: Queryable, cloudIds: readonly string[]): Promise<void> {
  for (const [i, cloudId] of cloudIds.entries()) {
    await addCloudPools(db, 'spec-clouds', cloudId, {
      extranet: { ipv4: `10.${80 + i}.0.0/16`, ipv6: `fd00:${(80 + i).toString(16)}::/48` },
      internet: { ipv4: `198.18.${i}.0/24`, ipv6: `2001:db8:${(i + 1).toString(16)}::/48` },
    }, 'spec pools');
  }
}
