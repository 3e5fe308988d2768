import { allocateAddress, deleteAddress } from '../ipam/addresses.ts';
import { ipamRepo } from '../ipam/ipam-repo.ts';
import type { ExtranetAddressHook, ExtranetAssignInput } from '../onboarding/extranet-hook.ts';
import type { Store } from '../store/store.ts';
import { attachmentsRepo } from './inventory-repo.ts';

/**
 * Onboarding's extranet step: a newly placed system gets one address per plane and family from the prefixes
 * its cloud is attached with (the attachment names the VRF and the prefixes; IPAM holds them as prefixes of
 * that VRF and hands out the next free address under the prefix's lock). Idempotent per step key, so a step
 * that runs again after a crash gets the same addresses; `release` (the step's undo) frees exactly those.
 */
export function extranetAddressHook(store: Store): ExtranetAddressHook {
  const keyOf = (input: ExtranetAssignInput, planeId: string, family: string) => `${input.idempotencyKey}:${planeId}:${family}`;
  return {
    assign: (input) =>
      store.transaction(async (tx) => {
        const attachments = (await attachmentsRepo.list(tx, input.cloudId)).filter((a) => a.state === 'up');
        if (!attachments.length) return { addresses: [], skipped: `cloud ${input.cloudId} is not attached to any extranet plane` };
        const addresses: { plane: string; address: string }[] = [];
        for (const a of attachments) {
          for (const [family, cidr] of [['ipv4', a.prefixV4], ['ipv6', a.prefixV6]] as const) {
            if (!cidr || !a.vrfId) continue;
            const prefixId = await ipamRepo.prefixIdByCidr(tx, a.vrfId, cidr);
            if (!prefixId) continue;
            const { address } = await allocateAddress(tx, {
              prefixId, idempotencyKey: keyOf(input, a.planeId, family), status: 'active', planeId: a.planeId,
              description: `business system ${input.systemId} (onboarding)`,
            });
            addresses.push({ plane: a.planeId, address: address.address });
          }
        }
        return addresses.length ? { addresses } : { addresses, skipped: `no IPAM prefix of the attachment VRFs holds the prefixes of cloud ${input.cloudId}` };
      }),
    release: (input) =>
      store.transaction(async (tx) => {
        for (const id of await ipamRepo.addressIdsUnderKey(tx, input.idempotencyKey)) await deleteAddress(tx, id);
      }),
  };
}
