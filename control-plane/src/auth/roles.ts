import { z } from 'zod';

export const ROLES = ['admin', 'cloud-operator', 'network-engineer', 'department-admin', 'department-user', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** Roles whose holders work across all departments; the others see only their own department. */
export const PROVINCE_WIDE_ROLES: readonly Role[] = ['admin', 'cloud-operator', 'network-engineer', 'auditor'];
/** Roles that only make sense inside a department. */
export const DEPARTMENT_ROLES: readonly Role[] = ['department-admin', 'department-user'];

export const ANY_ROLE: readonly Role[] = ROLES;
