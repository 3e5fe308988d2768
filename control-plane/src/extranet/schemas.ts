import { z } from 'zod';
import { ANY_ROLE, type Role } from '../auth/roles.ts';
import { InputError, NotFoundError } from '../errors.ts';
import type { Queryable } from '../store/store.ts';
import { planesRepo, type Plane } from './inventory-repo.ts';
import { UNIT_LEVELS, unitsRepo, type UnitRecord } from './units-repo.ts';

/** Who reads the extranet inventory (province-wide roles) and who changes it. */
export const READERS: readonly Role[] = ['admin', 'network-engineer', 'cloud-operator', 'auditor'];
export const EDITORS: readonly Role[] = ['admin', 'network-engineer'];
/** Aggregate figures (coverage, readiness, the unit tree, the planes) are for everyone: they name no device, link or address. */
export const FIGURE_READERS: readonly Role[] = ANY_ROLE;
/** The access check and department networks are also for department staff, about their own systems. */
export const CHECKERS: readonly Role[] = ['admin', 'network-engineer', 'cloud-operator', 'department-admin', 'department-user'];

export const unitCodeSchema = z.string().trim().regex(/^[0-9A-Za-z-]{2,40}$/, 'a unit code: 2–40 letters, digits or dashes (a division code such as 360102, or a site code)');
export const planeIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a plane id such as plane-1');
export const familySchema = z.enum(['ipv4', 'ipv6'], 'ipv4 or ipv6');
export const levelSchema = z.enum(UNIT_LEVELS, `one of ${UNIT_LEVELS.join(', ')}`);
export const deviceNameSchema = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a device name: letters, digits, . _ -, at most 63 characters');
export const ipSchema = z.union([z.ipv4(), z.ipv6()], 'an IPv4 or IPv6 address');
export const limitSchema = z.number().int().min(1).max(500).default(50);
export const phoneSchema = z.string().trim().regex(/^[0-9+][0-9-]{5,19}$/, 'a phone number: digits, dashes, optional leading +');
export const ductSchema = z.string().trim().regex(/^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5._-]{0,62}$/, 'a duct / shared-risk group: letters, digits, . _ -');

/** The unit a request is about (its page, its check): unknown is NOT_FOUND. */
export async function loadUnit(db: Queryable, code: string): Promise<UnitRecord> {
  const unit = await unitsRepo.byCode(db, code);
  if (!unit) throw new NotFoundError(`unknown unit code ${code}`);
  return unit;
}

/** An input naming a plane that does not exist is bad input (the plane list is configuration), not a missing page. */
export async function requirePlane(db: Queryable, id: string, field = 'planeId'): Promise<Plane> {
  const plane = await planesRepo.byId(db, id);
  if (!plane) throw new InputError(`plane ${id} does not exist`, field);
  return plane;
}

/** A unit code given as a reference inside another object (a link, a device): unknown is bad input. */
export async function requireUnit(db: Queryable, code: string, field = 'unitCode'): Promise<UnitRecord> {
  const unit = await unitsRepo.byCode(db, code);
  if (!unit) throw new InputError(`unknown unit code ${code}`, field);
  return unit;
}
