import type { CpuArch, CpuVendor } from '@ganyun/providers';
import type { Scope } from '../auth/scope.ts';
import { ConflictError, InputError, NotFoundError } from '../errors.ts';
import type { FederationService } from '../federation/contract.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import type { Queryable } from '../store/store.ts';
import { loadSystem } from '../systems/system-service.ts';
import { candidatesRepo, type CandidateFields, type LinkRow } from './candidates-repo.ts';
import { DEFAULT_EFFORT, estimateEffort, type EffortModel } from './effort.ts';
import { deriveMethod, type TargetFacts } from './method.ts';

/**
 * Registering a system as a migration candidate: the facts of its source (a cloud or an on-premises
 * room), the target cloud's platforms and images (read from the target's provider through the resilient
 * wrapper: what it offers today), and from them the method with its reasons and the effort estimate.
 * The provider call happens before the transaction that saves (see `targetFacts`); nothing is held open.
 */

export interface CandidateInput {
  systemId: string;
  source: { kind: 'cloud'; cloudId: string } | { kind: 'room'; roomId: string };
  sourceArch: CpuArch;
  sourceVendor: CpuVendor;
  sourceImage: string;
  targetCloudId: string;
  targetArch?: CpuArch;
  vcpu: number;
  dataGiB: number;
  linkId: string;
  group: string | null;
}

/** What the target cloud offers, from its provider (the wrapper's retries and breaker apply). */
export async function targetFacts(federation: FederationService, db: Queryable, cloudId: string): Promise<TargetFacts> {
  const cloud = await cloudsRepo.byId(db, cloudId);
  if (!cloud) throw new InputError(`no cloud ${cloudId}`, 'targetCloudId');
  const info = await federation.provider(cloudId).connect();
  return { cloudId, cloudName: cloud.name, platforms: info.capabilities.platforms, images: info.capabilities.images };
}

/** Checks the facts against the store and derives the candidate's fields; throws a named error for bad input. */
export async function candidateFields(db: Queryable, scope: Scope, input: CandidateInput, target: TargetFacts, effort: EffortModel = DEFAULT_EFFORT): Promise<CandidateFields> {
  const system = await loadSystem(db, scope, input.systemId);
  if (system.status === 'retired') throw new InputError(`${system.name} is retired`, 'systemId');
  if (input.source.kind === 'cloud') {
    if (!(await cloudsRepo.byId(db, input.source.cloudId))) throw new InputError(`no cloud ${input.source.cloudId}`, 'source');
    if (input.source.cloudId === input.targetCloudId) throw new InputError('the source and the target are the same cloud', 'targetCloudId');
  } else if (!(await candidatesRepo.room(db, input.source.roomId))) throw new InputError(`no machine room ${input.source.roomId}`, 'source');
  const [link] = await candidatesRepo.links(db, [input.linkId]);
  if (!link) throw new InputError(`no replication link ${input.linkId}`, 'linkId');
  assertLinkFits(link, input);
  const decision = deriveMethod({ arch: input.sourceArch, vendor: input.sourceVendor, image: input.sourceImage }, target, {
    xinchuangRequired: system.xinchuangRequired, wantArch: input.targetArch,
  });
  const { size, hours } = estimateEffort(effort, decision.method, { vcpu: input.vcpu, dataGiB: input.dataGiB });
  return {
    systemId: system.id, departmentId: system.departmentId,
    sourceCloudId: input.source.kind === 'cloud' ? input.source.cloudId : null, sourceRoomId: input.source.kind === 'room' ? input.source.roomId : null,
    sourceArch: input.sourceArch, sourceVendor: input.sourceVendor, sourceImage: input.sourceImage,
    targetCloudId: input.targetCloudId, targetArch: decision.target.arch, targetVendor: decision.target.vendor, targetImage: decision.target.image,
    method: decision.method, reasons: decision.reasons, vcpu: input.vcpu, dataGiB: input.dataGiB, sizeClass: size, effortHours: hours,
    linkId: input.linkId, groupName: input.group,
  };
}

function assertLinkFits(link: LinkRow, input: CandidateInput) {
  if (link.targetCloudId !== input.targetCloudId) throw new InputError(`replication link ${link.label} goes to ${link.targetCloudId}, not to ${input.targetCloudId}`, 'linkId');
  const from = input.source.kind === 'cloud' ? link.sourceCloudId : link.sourceRoomId;
  const want = input.source.kind === 'cloud' ? input.source.cloudId : input.source.roomId;
  if (from !== want) throw new InputError(`replication link ${link.label} does not start at the system's source`, 'linkId');
}

/** Saves (insert or replace) a candidate; a system already migrating or moved cannot be re-planned. */
export async function saveCandidate(db: Queryable, id: string, fields: CandidateFields): Promise<{ id: string; created: boolean }> {
  const existing = await candidatesRepo.bySystem(db, fields.systemId);
  if (existing) {
    if (existing.state === 'migrating') throw new ConflictError('the system is already migrating: change it after its wave ends or is rolled back', 'systemId', { code: 'migration.alreadyMigrating', params: { systems: existing.systemName } });
    if (existing.state === 'migrated') throw new ConflictError('the system has already been migrated', 'systemId');
    await candidatesRepo.update(db, existing.id, fields);
    return { id: existing.id, created: false };
  }
  await candidatesRepo.insert(db, id, fields);
  return { id, created: true };
}

export async function loadCandidate(db: Queryable, scope: Scope, id: string, opts: { forUpdate?: boolean } = {}) {
  const c = await candidatesRepo.byId(db, { departmentIds: null }, id, opts);
  if (!c) throw new NotFoundError(`no migration candidate ${id}`);
  if (scope.departmentIds !== null && !scope.departmentIds.includes(c.departmentId)) throw new NotFoundError(`no migration candidate ${id}`);
  return c;
}
