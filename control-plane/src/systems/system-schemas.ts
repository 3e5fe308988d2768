import { CPU_ARCHES } from '@ganyun/providers';
import { z } from 'zod';
import { idSchema } from '../schemas.ts';
import { DATA_CLASSIFICATIONS, SYSTEM_STATUSES } from './systems-repo.ts';

/** Input fields of a business system; messages are shown beside the field in the console. */
export const systemFieldsSchema = z.object({
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'),
  ownerUserId: idSchema.nullable().default(null),
  description: z.string().trim().max(2000, 'at most 2000 characters').default(''),
  mlpsLevel: z.number().int('a whole number').min(1, '等保 level 1 to 4').max(4, '等保 level 1 to 4'),
  dataClassification: z.enum(DATA_CLASSIFICATIONS, 'public, internal, sensitive or classified'),
  xinchuangRequired: z.boolean(),
  architectures: z.array(z.enum(CPU_ARCHES, `one of ${CPU_ARCHES.join(', ')}`)).min(1, 'at least one CPU architecture')
    .refine((a) => new Set(a).size === a.length, 'architectures must not repeat'),
  drLevel: z.number().int('a whole number').min(1, 'GB/T 20988 level 1 to 6').max(6, 'GB/T 20988 level 1 to 6'),
  drEdition: z.enum(['2007', '2025'], 'GB/T 20988 edition 2007 or 2025'),
  rpoSeconds: z.number().int('whole seconds').min(0, 'not negative').max(30 * 86400, 'at most 30 days'),
  rtoSeconds: z.number().int('whole seconds').min(0, 'not negative').max(30 * 86400, 'at most 30 days'),
});

export const dependsOnSchema = z.array(idSchema).max(200, 'at most 200 dependencies').refine((a) => new Set(a).size === a.length, 'dependencies must not repeat');
export const statusSchema = z.enum(SYSTEM_STATUSES);
