import { ANY_ROLE, type Role } from '../auth/roles.ts';

/**
 * Who may do what in the migrations API (issue 12), shared by its routers: cloud operators (and admins) plan
 * and run; department admins set their own department's maintenance slots; everyone reads within their scope.
 */
export const PLANNERS: readonly Role[] = ['admin', 'cloud-operator'];
export const READERS: readonly Role[] = ANY_ROLE;
export const DEPARTMENT_PEOPLE: readonly Role[] = ['admin', 'cloud-operator', 'department-admin'];
