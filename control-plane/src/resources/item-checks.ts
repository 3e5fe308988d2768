import { XINCHUANG_VENDORS, type CpuVendor } from '@ganyun/providers';
import { ConflictError, InputError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Queryable } from '../store/store.ts';
import type { SystemRow } from '../systems/systems-repo.ts';
import type { Catalogue } from './cloud-catalogue.ts';
import { blockFromDb, contains, endOf, parseCidr, type Block } from '../ipam/ip-math.ts';
import { ipamRepo } from '../ipam/ipam-repo.ts';
import { expandHosts, quotaOfResource, type ResourceItem, type ResourceKindName, type ResourceQuota, type SegmentItem } from './resource-items.ts';
import { poolsRepo, resourcesRepo, type AddressPool, type ResourceRow } from './resources-repo.ts';

/** One resource to create: its row id (fixed when the request is approved, so steps that run again find it). */
export interface PlannedResource {
  id: string;
  kind: ResourceKindName;
  name: string;
  /** The cloud object's name: the given name and a piece of the id, so a name reused after a release never meets the old object. */
  cloudName: string;
  item: ResourceItem;
  quota: ResourceQuota;
  /** Hosts and workloads: the segment (planned in this request, or live). */
  segment?: { id: string; planned: boolean };
  /** Volumes: the host (planned in this request, or live). */
  host?: { id: string; planned: boolean };
}

const field = (i: number, f: string) => `resources.${i}.${f}`;
const fail = (i: number, f: string, why: string) => new InputError(why, field(i, f));

/**
 * The request's resources checked against the system's rules, the cloud's catalogue and what the system
 * already has, and resolved into the resources to create. Every refusal names the field and the reason;
 * nothing is created or reserved by a check. `catalogue` is fetched by the caller before its transaction.
 */
export async function planResources(
  db: Queryable,
  input: { system: SystemRow; cloudId: string; resources: readonly ResourceItem[]; catalogue: Catalogue; departmentIds: string[] | null },
): Promise<PlannedResource[]> {
  const { system, cloudId, resources, catalogue } = input;
  const planned: PlannedResource[] = [];
  const byName = new Map<string, PlannedResource>();
  const itemIndex = new Map<PlannedResource, number>();
  const add = (i: number, kind: ResourceKindName, name: string, item: ResourceItem) => {
    const key = `${kind}:${name}`;
    if (byName.has(key)) throw fail(i, 'name', `the request names the ${kind} “${name}” twice`);
    const id = newId();
    const p: PlannedResource = { id, kind, name, cloudName: `${name}-${id.slice(0, 8)}`, item, quota: quotaOfResource(item) };
    byName.set(key, p);
    planned.push(p);
    itemIndex.set(p, i);
    return p;
  };

  for (const [i, item] of resources.entries()) {
    if (item.kind === 'host') for (const h of expandHosts(item)) add(i, 'host', h.name, h.item);
    else add(i, item.kind, item.name, item);
  }

  const kinds = new Set(catalogue.resourceKinds);
  /** Prefixes chosen by this request's earlier segments: two of them may not overlap either. */
  const chosen: { index: number; block: Block; cidr: string }[] = [];
  // The cloud's address pools matter to segments only: a request without one does not read them.
  const pools = planned.some((p) => p.item.kind === 'segment') ? await poolsRepo.list(db, cloudId) : [];
  // The system's live resources under every name the checks below look up (the planned names, the segments and hosts
  // named by reference and not planned here), read by one statement instead of one each.
  const wanted = planned.map((p) => ({ kind: p.kind, name: p.name }));
  for (const p of planned) {
    const item = p.item;
    if ((item.kind === 'host' || item.kind === 'workload') && item.segment && !byName.has(`segment:${item.segment}`)) wanted.push({ kind: 'segment', name: item.segment });
    if (item.kind === 'volume' && !byName.has(`host:${item.host}`)) wanted.push({ kind: 'host', name: item.host });
  }
  const liveNow = await resourcesRepo.liveByNames(db, system.id, wanted);
  const live = (kind: ResourceKindName, name: string) => liveNow.get(`${kind}:${name}`);
  for (const p of planned) {
    const i = itemIndex.get(p)!;
    if (live(p.kind, p.name)) throw fail(i, 'name', `the system already has a ${p.kind} named “${p.name}”`);
    const item = p.item;
    if (item.kind === 'host' || item.kind === 'workload') {
      const cloudKind = item.kind === 'host' ? 'vm' : 'workload';
      if (!kinds.has(cloudKind)) throw fail(i, 'kind', `cloud ${cloudId} does not offer ${item.kind === 'host' ? 'cloud hosts' : 'container workloads'}`);
      checkPlatform(i, system, cloudId, catalogue, item.arch, item.vendor);
      const image = catalogue.images.find((x) => x.id === item.image);
      if (!image) throw fail(i, 'image', `cloud ${cloudId} has no image ${item.image} (it offers ${catalogue.images.map((x) => x.id).join(', ')})`);
      if (!image.arches.includes(item.arch)) throw fail(i, 'image', `image ${item.image} has no ${item.arch} build`);
      p.segment = await resolveSegment(db, i, system, cloudId, item.segment, planned, byName, live);
    } else if (item.kind === 'volume') {
      if (!kinds.has('volume')) throw fail(i, 'kind', `cloud ${cloudId} does not offer data volumes`);
      p.host = await resolveHost(db, i, system, cloudId, item.host, byName, input.departmentIds, live);
    } else {
      if (!kinds.has('network-segment')) throw fail(i, 'kind', `cloud ${cloudId} does not offer network segments`);
      for (const family of item.dualStack ? (['ipv4', 'ipv6'] as const) : (['ipv4'] as const)) {
        if (!pools.some((x) => x.network === item.network && x.family === family)) {
          throw fail(i, 'network', `cloud ${cloudId} has no ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address pool on the ${item.network === 'extranet' ? 'government extranet' : 'internet-facing zone'}: an operator sets one first`);
        }
      }
      if (item.cidr) await checkChosenPrefix(db, i, cloudId, item, pools.find((x) => x.network === item.network && x.family === 'ipv4')!, chosen);
    }
  }
  return planned;
}

/**
 * A segment's chosen IPv4 prefix: a real prefix, inside the network's pool, overlapping no prefix in use there (a
 * segment of any system, or anything IPAM holds inside the pool) and no other segment of the request. Refused on
 * `resources.<i>.cidr` with what it overlaps; nothing is reserved by the check (IPAM's own no-overlap rule guards
 * the moment of creation against a racing request).
 */
async function checkChosenPrefix(db: Queryable, i: number, cloudId: string, item: SegmentItem, pool: AddressPool, chosen: { index: number; block: Block; cidr: string }[]) {
  const cidr = item.cidr!;
  const parsed = parseCidr(cidr);
  if (!parsed.ok || parsed.value.family !== 'ipv4') throw fail(i, 'cidr', `${cidr} is not an IPv4 prefix${parsed.ok ? '' : `: ${parsed.error}`}`);
  const block = parsed.value;
  const poolBlock = blockFromDb(pool.cidr);
  if (!contains(poolBlock, block)) throw fail(i, 'cidr', `${cidr} is outside the ${item.network} pool of cloud ${cloudId} (${pool.cidr})`);
  const twin = chosen.find((c) => block.start < endOf(c.block) && c.block.start < endOf(block));
  if (twin) throw fail(i, 'cidr', `${cidr} overlaps ${twin.cidr}, chosen for another segment of this request (resources.${twin.index})`);
  const prefix = (await ipamRepo.prefixById(db, pool.prefixId))!;
  const inUse = (await ipamRepo.overlapping(db, prefix.vrfId, cidr)).filter((p) => blockFromDb(p.cidr).length > poolBlock.length);
  if (inUse.length) {
    const what = inUse.slice(0, 3).map((p) => `${p.cidr}${p.description ? ` (${p.description})` : ''}`).join(', ');
    throw new ConflictError(`${cidr} overlaps ${what}, in use`, field(i, 'cidr'), { code: 'conflict.overlap', params: { cidr, overlaps: inUse[0]!.cidr } });
  }
  chosen.push({ index: i, block, cidr });
}

/** The architecture the system allows, a vendor 信创 accepts, and a platform the cloud has. */
function checkPlatform(i: number, system: SystemRow, cloudId: string, catalogue: Catalogue, arch: string, vendor: CpuVendor | undefined) {
  if (system.architectures.length && !system.architectures.includes(arch)) {
    throw fail(i, 'arch', `the system allows only ${system.architectures.join(', ')}; ${arch} is not one of them`);
  }
  if (system.xinchuangRequired) {
    if (!vendor) throw fail(i, 'vendor', `the system requires 信创 (Xinchuang): name a domestic CPU vendor (${[...XINCHUANG_VENDORS].join(', ')})`);
    if (!XINCHUANG_VENDORS.has(vendor)) throw fail(i, 'vendor', `the system requires 信创 (Xinchuang); ${vendor} is not a domestic CPU vendor`);
  }
  const offered = catalogue.platforms.filter((p) => p.arch === arch && (!vendor || p.vendor === vendor));
  if (!offered.length) {
    const what = vendor ? `${arch}/${vendor}` : arch;
    throw fail(i, vendor ? 'vendor' : 'arch', `cloud ${cloudId} has no ${what} hosts (it has ${catalogue.platforms.map((p) => `${p.arch}/${p.vendor}`).join(', ')})`);
  }
}

/** The system's live resource of that kind and name, as read before the checks (planResources' liveByNames). */
type LiveLookup = (kind: ResourceKindName, name: string) => ResourceRow | undefined;

async function resolveSegment(db: Queryable, i: number, system: SystemRow, cloudId: string, name: string | undefined, planned: PlannedResource[], byName: Map<string, PlannedResource>, liveNamed: LiveLookup) {
  if (name) {
    const mine = byName.get(`segment:${name}`);
    if (mine) return { id: mine.id, planned: true };
    const live = liveNamed('segment', name);
    if (!live) throw fail(i, 'segment', `no segment “${name}” in this request or among the system’s resources`);
    if (live.cloudId !== cloudId) throw fail(i, 'segment', `segment “${name}” is on cloud ${live.cloudId}, not ${cloudId}`);
    if (live.state !== 'active') throw fail(i, 'segment', `segment “${name}” is ${live.state}`);
    return { id: live.id, planned: false };
  }
  const segments = planned.filter((p) => p.kind === 'segment');
  if (segments.length === 1) return { id: segments[0]!.id, planned: true };
  if (segments.length > 1) throw fail(i, 'segment', 'the request has several segments: name the one this sits on');
  const live = (await resourcesRepo.list(db, { departmentIds: null, systemId: system.id })).filter((r) => r.kind === 'segment' && r.cloudId === cloudId && r.state === 'active');
  if (live.length === 1) return { id: live[0]!.id, planned: false };
  throw fail(i, 'segment', live.length ? 'the system has several segments: name the one this sits on' : 'a host or workload sits on a segment: add one to the request or name a live one');
}

async function resolveHost(db: Queryable, i: number, system: SystemRow, cloudId: string, name: string, byName: Map<string, PlannedResource>, departmentIds: string[] | null, liveNamed: LiveLookup) {
  const mine = byName.get(`host:${name}`);
  if (mine) return { id: mine.id, planned: true };
  const live = liveNamed('host', name);
  if (!live) {
    const elsewhere = await resourcesRepo.liveElsewhere(db, system.id, 'host', name, departmentIds);
    if (elsewhere) throw fail(i, 'host', `host “${name}” belongs to another system (${elsewhere.systemName}); a volume is attached to a host of its own system`);
    throw fail(i, 'host', `no host “${name}” in this request or among the system’s resources`);
  }
  if (live.cloudId !== cloudId) throw fail(i, 'host', `host “${name}” is on cloud ${live.cloudId}, not ${cloudId}`);
  if (live.state !== 'active') throw fail(i, 'host', `host “${name}” is ${live.state}`);
  return { id: live.id, planned: false };
}

/** At approval: the live resources the plan refers to must still be there. */
export async function checkPlanStillHolds(db: Queryable, plan: readonly PlannedResource[]): Promise<void> {
  for (const p of plan) {
    for (const ref of [p.segment, p.host]) {
      if (!ref || ref.planned) continue;
      const live = await resourcesRepo.byId(db, ref.id);
      if (!live || live.state !== 'active') throw new ConflictError(`${p.kind} “${p.name}” refers to a resource that is ${live ? live.state : 'gone'} now`);
    }
  }
}
