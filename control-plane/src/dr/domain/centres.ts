/**
 * Centres of 两地三中心 (two sites, three centres): a production centre, a same-city DR centre and a
 * remote-city DR centre. A centre is a site of the federation: a cloud and one of its zones (the provincial
 * cloud's production and same-city zones are two centres of one cloud; Ganzhou is a cloud of its own).
 */
import { InputError } from '../../errors.ts';

export const CENTRE_ROLES = ['production', 'same-city-dr', 'remote-dr'] as const;
export type CentreRole = (typeof CENTRE_ROLES)[number];

export interface Site {
  readonly cloudId: string;
  readonly zone: string;
}

export interface Centre extends Site {
  /** `<cloud>/<zone>`: stable, readable, unique in the federation. */
  readonly id: string;
  readonly role: CentreRole;
  readonly name: string;
  readonly nameEn: string;
  /** Division code of the city the centre is in. */
  readonly region: string;
}

export const centreIdOf = (s: Site): string => `${s.cloudId}/${s.zone}`;

export function isCentreRole(s: string): s is CentreRole {
  return (CENTRE_ROLES as readonly string[]).includes(s);
}

/** What the federation registry says about a cloud's zones (clouds-repo rows, federation config entries). */
export interface CloudZones {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
  readonly region: string;
  readonly zones: readonly { readonly id: string; readonly name: string; readonly nameEn: string; readonly role?: string }[];
}

/** Every zone with a centre role is a centre; zones without one (a plain availability zone) are not. */
export function centresOf(clouds: readonly CloudZones[]): Centre[] {
  const out: Centre[] = [];
  for (const c of clouds) {
    for (const z of c.zones) {
      if (z.role === undefined || !isCentreRole(z.role)) continue;
      out.push({ id: centreIdOf({ cloudId: c.id, zone: z.id }), cloudId: c.id, zone: z.id, role: z.role, name: `${c.name} ${z.name}`, nameEn: `${c.nameEn} ${z.nameEn}`, region: c.region });
    }
  }
  return out;
}

/** The centres a protection group spans, by role: production always, then one or both DR centres. */
export interface CentreSet {
  readonly production: string;
  readonly sameCity?: string;
  readonly remote?: string;
}

export const ROLE_OF_SLOT = { production: 'production', sameCity: 'same-city-dr', remote: 'remote-dr' } as const satisfies Record<keyof CentreSet, CentreRole>;

/** The centre of a role in a set, or undefined when the set has none. */
export function centreFor(set: CentreSet, role: CentreRole): string | undefined {
  return role === 'production' ? set.production : role === 'same-city-dr' ? set.sameCity : set.remote;
}

/**
 * Checks a centre set against the federation: each centre exists and has the role of its slot, no centre
 * is used twice, and a same-city centre is in the production centre's city while a remote one is not.
 */
export function checkCentreSet(set: CentreSet, known: ReadonlyMap<string, Centre>): void {
  const slots = Object.entries(set).filter(([, v]) => v !== undefined) as [keyof CentreSet, string][];
  const seen = new Set<string>();
  for (const [slot, id] of slots) {
    const c = known.get(id);
    if (!c) throw new InputError(`centre ${id} is not a centre of the federation`, `centres.${slot}`);
    if (c.role !== ROLE_OF_SLOT[slot]) throw new InputError(`centre ${id} is a ${c.role} centre, not ${ROLE_OF_SLOT[slot]}`, `centres.${slot}`);
    if (seen.has(id)) throw new InputError(`centre ${id} is named twice`, `centres.${slot}`);
    seen.add(id);
  }
  if (!set.sameCity && !set.remote) throw new InputError('a protection group needs at least one DR centre (same-city or remote)', 'centres');
  const prod = known.get(set.production)!;
  if (set.sameCity && known.get(set.sameCity)!.region.slice(0, 4) !== prod.region.slice(0, 4)) {
    throw new InputError(`same-city centre ${set.sameCity} is not in the production centre's city (${prod.region})`, 'centres.sameCity');
  }
  if (set.remote && known.get(set.remote)!.region.slice(0, 4) === prod.region.slice(0, 4)) {
    throw new InputError(`remote centre ${set.remote} is in the production centre's city (${prod.region})`, 'centres.remote');
  }
}

/** A failover, switchover or drill moves a system away from production: the target must be a DR centre of its set. */
export function checkTarget(set: CentreSet, target: string): CentreRole {
  if (target === set.production) throw new InputError(`the target ${target} is the production centre: fail over to a DR centre`, 'target');
  if (target === set.sameCity) return 'same-city-dr';
  if (target === set.remote) return 'remote-dr';
  throw new InputError(`the target ${target} is not one of the group's DR centres`, 'target');
}

/**
 * Where an unplanned failover goes: the same-city centre first; straight to the remote one when the
 * same-city centre is lost too (or the group has none). Undefined when every DR centre is lost.
 */
export function failoverTarget(set: CentreSet, lost: ReadonlySet<string>): string | undefined {
  if (set.sameCity && !lost.has(set.sameCity)) return set.sameCity;
  if (set.remote && !lost.has(set.remote)) return set.remote;
  return undefined;
}
