import { z } from 'zod';
import { roleSchema } from './auth/roles.ts';
import { describeCreditCodeProblem } from './domain/credit-code.ts';
import { PAGE_DEFAULT, PAGE_MAX } from './store/keyset.ts';

export { PAGE_DEFAULT, PAGE_MAX };

/** Input schemas shared across capabilities and routers (kept out of routers/ so domain code need not import the API layer). Messages are for people: the console shows them beside the field. */
export const idSchema = z.uuid('must be an id (UUID)');
export const usernameSchema = z
  .string()
  .min(2, 'at least 2 characters')
  .max(64, 'at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash and underscore, starting with a letter or digit');
export const displayNameSchema = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');
export const passwordInputSchema = z.string().min(1, 'required').max(256, 'at most 256 characters');
export const rolesSchema = z.array(roleSchema).min(1, 'at least one role').max(6).refine((r) => new Set(r).size === r.length, 'roles must not repeat');
export const creditCodeSchema = z
  .string()
  .trim()
  .superRefine((code, ctx) => {
    const problem = describeCreditCodeProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'system.creditCode' } });
  });
export const divisionCodeSchema = z.string().regex(/^\d{2}(\d{2}){0,2}(\d{3}){0,2}$/, 'a division code such as 36, 3601, 360102 or 360102002');

/**
 * The paging fields of every list's input (store/keyset.ts): `cursor` is the previous page's `nextCursor`,
 * `limit` a bounded page size, so no call can ask the server for a whole table.
 */
export const pageFields = {
  cursor: z.string().max(1200).optional(),
  limit: z.number().int().min(1, 'at least 1').max(PAGE_MAX, `at most ${PAGE_MAX}`).default(PAGE_DEFAULT),
};
