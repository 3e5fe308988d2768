import { z } from 'zod';
import { InputError } from '../errors.ts';
import type { ResourceClass } from '../quotas/contract.ts';
import { flavourSchema, quotaOfResource, ZERO, type ResourceItem, type ResourceQuota } from './resource-items.ts';

/**
 * What a change request asks of one live resource: a resize (a host's flavour or system disk, a workload's
 * replica size or count, a volume's size) or a release (回收). The schema is the API's; which fields fit which
 * kind, and whether anything changes at all, is checked against the resource in `resolveChange`.
 */
export const changeSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('resize'),
    flavour: flavourSchema.optional(),
    systemDiskGiB: z.number().int('whole GiB').min(40, 'at least 40 GiB').max(2048, 'at most 2048 GiB').optional(),
    size: flavourSchema.optional(),
    replicas: z.number().int('a whole number').min(1, 'at least 1 replica').max(50, 'at most 50 replicas').optional(),
    sizeGiB: z.number().int('whole GiB').min(10, 'at least 10 GiB').max(32_768, 'at most 32768 GiB').optional(),
  }).strict(),
  z.object({ action: z.literal('release') }).strict(),
  /** More addresses for a host or workload, from its segment's prefixes (a second service address, a VIP). */
  z.object({
    action: z.literal('add-addresses'),
    ipv4: z.number().int('a whole number').min(0, 'not negative').max(16, 'at most 16 addresses per change').default(0),
    ipv6: z.number().int('a whole number').min(0, 'not negative').max(16, 'at most 16 addresses per change').default(0),
  }).strict().refine((c) => c.ipv4 + c.ipv6 > 0, { message: 'ask for at least one address', path: ['ipv4'] }),
], 'action is resize or release, or add-addresses');
export type ChangeInput = z.infer<typeof changeSchema>;

/** A change as stored on its request: what the resource was, what it becomes, and the quota that moves. */
export interface ResourceChange {
  resourceId: string;
  action: 'resize' | 'release' | 'add-addresses';
  /** add-addresses: how many of each family, from the resource's segment. */
  addresses?: { ipv4: number; ipv6: number };
  before: { spec: ResourceItem; quota: ResourceQuota };
  /** null for a release. */
  after: { spec: ResourceItem; quota: ResourceQuota } | null;
  /** Quota to hold now and commit when done (a resize that grows). */
  grow: ResourceQuota;
  /** Committed quota given back when done (a resize that shrinks, or everything on a release). */
  shrink: ResourceQuota;
}

const RESIZABLE: Record<ResourceItem['kind'], readonly string[]> = {
  host: ['flavour', 'systemDiskGiB'], workload: ['size', 'replicas'], volume: ['sizeGiB'], segment: [],
};

/** The change applied to a resource's spec; every refusal names the field (`change.<field>`) and the reason. */
export function resolveChange(resourceId: string, spec: ResourceItem, quota: ResourceQuota, input: ChangeInput): ResourceChange {
  const before = { spec, quota };
  if (input.action === 'release') return { resourceId, action: 'release', before, after: null, grow: { ...ZERO }, shrink: { ...quota } };
  if (input.action === 'add-addresses') {
    if (spec.kind !== 'host' && spec.kind !== 'workload') throw new InputError(`a ${spec.kind} holds no addresses of its own: add them to a host or workload`, 'change.action');
    // No quota moves: the segment's whole prefix was counted when the segment was made, its addresses are inside it.
    return { resourceId, action: 'add-addresses', addresses: { ipv4: input.ipv4, ipv6: input.ipv6 }, before, after: { spec, quota }, grow: { ...ZERO }, shrink: { ...ZERO } };
  }
  const allowed = RESIZABLE[spec.kind];
  if (!allowed.length) throw new InputError(`a ${spec.kind} is not resized: request a new one and release this one`, 'change.action');
  for (const [k, v] of Object.entries(input)) {
    if (k !== 'action' && v !== undefined && !allowed.includes(k)) throw new InputError(`a ${spec.kind} has no ${k} to change (it has ${allowed.join(', ')})`, `change.${k}`);
  }
  let next: ResourceItem;
  switch (spec.kind) {
    case 'host':
      if (input.systemDiskGiB !== undefined && input.systemDiskGiB < spec.systemDiskGiB) {
        throw new InputError(`a system disk only grows (it has ${spec.systemDiskGiB} GiB)`, 'change.systemDiskGiB');
      }
      next = { ...spec, flavour: input.flavour ?? spec.flavour, systemDiskGiB: input.systemDiskGiB ?? spec.systemDiskGiB };
      break;
    case 'workload':
      next = { ...spec, size: input.size ?? spec.size, replicas: input.replicas ?? spec.replicas };
      break;
    case 'volume':
      if (input.sizeGiB !== undefined && input.sizeGiB < spec.sizeGiB) throw new InputError(`a volume is only extended (it has ${spec.sizeGiB} GiB)`, 'change.sizeGiB');
      next = { ...spec, sizeGiB: input.sizeGiB ?? spec.sizeGiB };
      break;
    default:
      throw new InputError(`a ${spec.kind} is not resized`, 'change.action');
  }
  if (JSON.stringify(next) === JSON.stringify(spec)) throw new InputError('the resize changes nothing: name a new size', 'change.action');
  const after = quotaOfResource(next);
  const grow = { ...ZERO };
  const shrink = { ...ZERO };
  for (const c of Object.keys(ZERO) as ResourceClass[]) {
    const d = after[c] - quota[c];
    if (d > 0) grow[c] = d;
    else if (d < 0) shrink[c] = -d;
  }
  return { resourceId, action: 'resize', before, after: { spec: next, quota: after }, grow, shrink };
}
