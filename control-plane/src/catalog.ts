import type { AnyRouter } from '@trpc/server';
import { z } from 'zod';
import type { Meta } from './trpc.ts';

export interface CatalogEntry {
  path: string;
  kind: 'query' | 'mutation' | 'subscription';
  roles: Meta['roles'] | null;
  input: unknown;
}

/**
 * Every procedure with its kind, its input as JSON Schema and the roles allowed to call it, read from
 * the router itself so the catalog can never drift from what is served.
 */
export function buildCatalog(router: AnyRouter): CatalogEntry[] {
  const procedures = router._def.procedures as Record<string, { _def: { type: CatalogEntry['kind']; meta?: Meta; inputs: unknown[] } }>;
  return Object.entries(procedures)
    .map(([path, p]) => ({
      path,
      kind: p._def.type,
      roles: p._def.meta?.roles ?? null,
      input: p._def.inputs[0] ? z.toJSONSchema(p._def.inputs[0] as z.ZodType, { io: 'input', unrepresentable: 'any' }) : null,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
