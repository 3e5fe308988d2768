/** Input schemas of the DR API. Messages are for people: the console shows them beside the field. */
import { z } from 'zod';
import { idSchema } from '../schemas.ts';
import { PROTECTION_MODES } from './domain/protection.ts';
import { PLAN_OPERATIONS } from './domain/plan.ts';
import { OPERATION_KINDS } from './domain/approvals.ts';
import { probeConnectionIdSchema } from './probe-connections-repo.ts';

export const centreIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}\/[a-z][a-z0-9-]{1,40}$/, 'a centre id such as jx-province/jxp-dr');
const seconds = z.number().int('whole seconds').min(0, 'not negative').max(30 * 86_400, 'at most 30 days');
const units = z.number().int('a whole number').min(0, 'not negative').max(1_000_000);

export const protectionInputSchema = z.object({
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'),
  systemIds: z.array(idSchema).min(1, 'at least one system').max(200, 'at most 200 systems'),
  mode: z.enum(PROTECTION_MODES, `one of ${PROTECTION_MODES.join(', ')}`),
  centres: z.object({ production: centreIdSchema, sameCity: centreIdSchema.optional(), remote: centreIdSchema.optional() }),
  rtoSeconds: seconds.optional(),
  rpoSeconds: seconds.optional(),
  resources: z.array(z.object({ cloudId: z.string().min(1).max(64), key: z.string().min(1).max(500) })).max(5000).default([]),
  standby: z.array(z.object({ centre: centreIdSchema, vcpu: units, memoryGiB: units, storageGiB: units })).max(3).default([])
    .refine((a) => new Set(a.map((s) => s.centre)).size === a.length, 'one standby line per centre'),
  backupIntervalSeconds: z.number().int().min(60, 'at least a minute').max(30 * 86_400).optional(),
});

const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);
const stepBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
  title: text(200),
  group: z.number().int().min(0).max(1000),
  dependsOn: z.array(z.string().min(1).max(200)).max(200).default([]),
  estimateSeconds: z.number().min(0).max(7 * 86_400),
  systemId: idSchema.optional(),
};
const checkBase = { id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), weight: z.number().positive().max(1000) };
const probeCheck = z.discriminatedUnion('type', [
  z.object({ ...checkBase, type: z.literal('http'), url: z.url({ protocol: /^https?$/ }), expectStatus: z.number().int().min(100).max(599), bodyIncludes: z.string().max(500).optional() }),
  z.object({ ...checkBase, type: z.literal('tcp'), host: z.string().min(1).max(253), port: z.number().int().min(1).max(65_535) }),
  z.object({ ...checkBase, type: z.literal('sql'), connection: probeConnectionIdSchema, query: z.string().min(1).max(2000), expect: z.string().max(500) }),
  z.object({ ...checkBase, type: z.literal('prometheus'), url: z.url({ protocol: /^https?$/ }), query: z.string().min(1).max(2000), op: z.enum(['<', '<=', '>', '>=', '==']), value: z.number() }),
]);

export const planStepSchema = z.discriminatedUnion('kind', [
  z.object({ ...stepBase, kind: z.literal('action'), operation: z.enum(PLAN_OPERATIONS), at: z.enum(['source', 'target']), systemId: idSchema, replicas: z.number().int().min(1).max(1000).optional() }),
  z.object({ ...stepBase, kind: z.literal('probe'), checks: z.array(probeCheck).min(1).max(50), passScore: z.number().gt(0).max(1), timeoutSeconds: z.number().positive().max(3600) }),
  z.object({ ...stepBase, kind: z.literal('manual'), prompt: z.object({ zh: text(1000), en: text(1000) }) }),
  z.object({ ...stepBase, kind: z.literal('wait'), seconds: z.number().positive().max(86_400), reason: text(500) }),
]);

export const planDraftSchema = z.object({
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'),
  groups: z.array(z.object({ number: z.number().int().min(0).max(1000), name: text(100) })).min(1, 'at least one priority group').max(100),
  steps: z.array(planStepSchema).min(1, 'at least one step').max(5000, 'at most 5000 steps'),
});

export const operationKindSchema = z.enum(OPERATION_KINDS);
