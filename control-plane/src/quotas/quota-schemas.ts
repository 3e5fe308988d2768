import { z } from 'zod';
import { idSchema } from '../schemas.ts';
import { QUOTA_LEVELS, RESOURCE_CLASSES } from './contract.ts';
import { MAX_LIMIT } from './limits.ts';

/**
 * The quota API's input schemas: the one validation of quota input (the service trusts its typed input and
 * checks only what needs the database, such as whether a cloud exists). Messages are for people.
 */

/** The largest amount one item may ask for: beyond it an input is absurd, not big. */
export const MAX_ITEM_AMOUNT = 1_000_000_000;
export const MAX_TTL_SECONDS = 30 * 24 * 3600;

const noNul = (s: string) => !s.includes('\u0000');

export const cloudIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'a cloud id such as jx-province or nanchang');
export const classSchema = z.enum(RESOURCE_CLASSES, { message: `one of ${RESOURCE_CLASSES.join(', ')}` });
export const amountSchema = z.number().int('a whole number').positive('above 0').max(MAX_ITEM_AMOUNT, `at most ${MAX_ITEM_AMOUNT}`);
export const limitSchema = z.number().int('a whole number').min(0, 'not negative').max(MAX_LIMIT, `at most ${MAX_LIMIT}`);
export const reasonSchema = z.string().trim().min(2, 'say why (at least 2 characters)').max(500, 'at most 500 characters').refine(noNul, 'no NUL characters');
export const itemsSchema = z.array(z.object({ cloudId: cloudIdSchema, resourceClass: classSchema, amount: amountSchema })).min(1, 'at least one item').max(50, 'at most 50 items');

/** A quota node by level and reference: the province is 36, a city its code, a department or system its id. */
export const nodeAddressSchema = z.object({
  level: z.enum(QUOTA_LEVELS),
  ref: z.string().trim().min(2).max(64),
}).superRefine((a, ctx) => {
  const ok = a.level === 'province' ? a.ref === '36' : a.level === 'city' ? /^36(0[1-9]|1[01])$/.test(a.ref) : idSchema.safeParse(a.ref).success;
  if (!ok) ctx.addIssue({ code: 'custom', path: ['ref'], message: a.level === 'province' ? 'the province is 36' : a.level === 'city' ? 'a city code, 3601 to 3611' : 'an id (UUID)' });
});

export const checkInputSchema = z.object({ systemId: idSchema, items: itemsSchema });

export const reserveInputSchema = z.object({
  systemId: idSchema, items: itemsSchema,
  idempotencyKey: z.string().trim().min(1, 'required').max(200, 'at most 200 characters').refine(noNul, 'no NUL characters'),
  ttlSeconds: z.number().int('whole seconds').min(1, 'at least 1 second').max(MAX_TTL_SECONDS, `at most ${MAX_TTL_SECONDS} seconds`).default(900),
  ref: z.string().trim().max(200, 'at most 200 characters').refine(noNul, 'no NUL characters').default(''),
});
