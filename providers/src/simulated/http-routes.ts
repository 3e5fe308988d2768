/**
 * The sim server's routes: a JSON API that mirrors the provider methods one for one
 * (see README.md for the table), plus admin hooks that tests use to steer the cloud.
 * Request bodies are validated with the wire schemas; a bad body is `invalid`.
 */
import { z } from 'zod';
import { ProviderError } from '../errors.ts';
import { RESOURCE_KINDS, type ProviderOp, type ResourceKind } from '../spi.ts';
import { keyQuerySchema, resourceSpecSchema, tenantSpaceSpecSchema } from '../wire.ts';
import type { FaultInjector } from './faults.ts';
import type { SimMutation } from './sim-mutations.ts';
import type { SimulatedCloud } from './simulated-cloud.ts';

export interface RouteContext {
  readonly cloud: SimulatedCloud;
  readonly faults: FaultInjector;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly idempotencyKey: string;
}

export interface RouteResult {
  readonly status?: number;
  readonly body: unknown;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Provider operation (faults apply) or 'admin' (never faulted, so tests can always heal). */
  readonly op: ProviderOp | 'admin';
  readonly handle: (ctx: RouteContext) => RouteResult;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, cloudId: string, op: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw new ProviderError({ provider: cloudId, op, code: 'invalid', reason: 'invalid-body', message: `${cloudId}: ${op}: ${detail}` });
}

function kindParam(ctx: RouteContext, op: string): ResourceKind {
  const kind = ctx.params[1];
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) {
    throw new ProviderError({ provider: ctx.cloud.cloudId, op, code: 'invalid', message: `unknown resource kind ${kind}` });
  }
  return kind as ResourceKind;
}

/** PUT bodies must name the same object as the URL, or the request is ambiguous. */
function sameName(ctx: RouteContext, op: string, actual: string, expected: string): void {
  if (actual !== expected) {
    throw new ProviderError({ provider: ctx.cloud.cloudId, op, code: 'invalid', message: `body names ${actual} but the URL names ${expected}` });
  }
}

const created = (outcome: string): number => (outcome === 'created' ? 201 : 200);
const NAME = '([^/]+)';
const faultSettingsSchema = z.object({
  down: z.boolean().optional(),
  latencyMs: z.number().nonnegative().optional(),
  errorRate: z.number().min(0).max(1).optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  retryAfterMs: z.number().nonnegative().optional(),
  garbageRate: z.number().min(0).max(1).optional(),
  lostResponseRate: z.number().min(0).max(1).optional(),
  failPage: z.object({ page: z.number().int().min(1), times: z.number().int().min(0).optional() }).optional(),
  ops: z.array(z.string()).optional(),
});

const mutationSchema = z.looseObject({
  op: z.enum(['put-resource', 'delete-resource', 'set-resource-state', 'put-tenant-space', 'delete-tenant-space', 'zone-status', 'replication-link']),
});

export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/v1\/connect$/, op: 'connect', handle: (c) => ({ body: c.cloud.connect('simulated') }) },
  {
    method: 'POST',
    pattern: /^\/v1\/tenant-spaces:observe$/,
    op: 'observeTenantSpace',
    handle: (c) => ({ body: c.cloud.observeTenantSpace(parse(tenantSpaceSpecSchema, c.body, c.cloud.cloudId, 'observeTenantSpace')) }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/tenant-spaces$/,
    op: 'createTenantSpace',
    handle: (c) => {
      const r = c.cloud.createTenantSpace(parse(tenantSpaceSpecSchema, c.body, c.cloud.cloudId, 'createTenantSpace'), c.idempotencyKey);
      return { status: created(r.outcome), body: r };
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/v1/tenant-spaces/${NAME}$`),
    op: 'updateTenantSpace',
    handle: (c) => {
      const spec = parse(tenantSpaceSpecSchema, c.body, c.cloud.cloudId, 'updateTenantSpace');
      sameName(c, 'updateTenantSpace', spec.name, c.params[0]);
      return { body: c.cloud.updateTenantSpace(spec, c.idempotencyKey) };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1/tenant-spaces/${NAME}$`),
    op: 'deleteTenantSpace',
    handle: (c) => ({ body: c.cloud.deleteTenantSpace(c.params[0], c.idempotencyKey) }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/resources:observe$/,
    op: 'observeResource',
    handle: (c) => ({ body: c.cloud.observeResource(parse(resourceSpecSchema, c.body, c.cloud.cloudId, 'observeResource')) }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/resources$/,
    op: 'createResource',
    handle: (c) => {
      const r = c.cloud.createResource(parse(resourceSpecSchema, c.body, c.cloud.cloudId, 'createResource'), c.idempotencyKey);
      return { status: created(r.outcome), body: r };
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/v1/resources/${NAME}/${NAME}/${NAME}$`),
    op: 'updateResource',
    handle: (c) => {
      const spec = parse(resourceSpecSchema, c.body, c.cloud.cloudId, 'updateResource');
      sameName(c, 'updateResource', `${spec.tenant}/${spec.kind}/${spec.name}`, c.params.join('/'));
      return { body: c.cloud.updateResource(spec, c.idempotencyKey) };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1/resources/${NAME}/${NAME}/${NAME}$`),
    op: 'deleteResource',
    handle: (c) => {
      const ref = { tenant: c.params[0], kind: kindParam(c, 'deleteResource'), name: c.params[2] };
      const r = c.cloud.deleteResource(ref, c.idempotencyKey);
      return { status: r.outcome === 'deleting' ? 202 : 200, body: r };
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/calls:observe-by-key$/,
    op: 'observeByKey',
    handle: (c) => {
      const q = parse(keyQuerySchema, c.body, c.cloud.cloudId, 'observeByKey');
      return { body: c.cloud.observeByKey(q.idempotencyKey, q.op) };
    },
  },
  {
    method: 'GET',
    pattern: /^\/v1\/inventory$/,
    op: 'listInventory',
    handle: (c) => {
      const cursor = c.query.get('cursor');
      const page = c.query.get('page');
      const req = { pageSize: Number(c.query.get('pageSize') ?? '1000'), ...(cursor ? { cursor } : {}), ...(page ? { page } : {}) };
      return { body: c.cloud.listInventory(req) };
    },
  },
  { method: 'GET', pattern: /^\/v1\/capacity$/, op: 'capacity', handle: (c) => ({ body: c.cloud.capacity() }) },
  { method: 'GET', pattern: /^\/v1\/replication-links$/, op: 'replicationLinks', handle: (c) => ({ body: c.cloud.replicationLinks() }) },
  { method: 'GET', pattern: /^\/v1\/network-facts$/, op: 'networkFacts', handle: (c) => ({ body: c.cloud.networkFacts() }) },
  { method: 'GET', pattern: /^\/v1\/health$/, op: 'health', handle: (c) => ({ body: c.cloud.health() }) },

  { method: 'GET', pattern: /^\/faults$/, op: 'admin', handle: (c) => ({ body: c.faults.current }) },
  {
    method: 'PUT',
    pattern: /^\/faults$/,
    op: 'admin',
    handle: (c) => {
      c.faults.set(parse(faultSettingsSchema, c.body, c.cloud.cloudId, 'faults') as never);
      return { body: c.faults.current };
    },
  },
  {
    method: 'POST',
    pattern: /^\/admin\/mutate$/,
    op: 'admin',
    handle: (c) => {
      parse(mutationSchema, c.body, c.cloud.cloudId, 'mutate');
      return { body: { revision: c.cloud.mutate(c.body as SimMutation) } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/admin\/advance$/,
    op: 'admin',
    handle: (c) => {
      const { ms } = parse(z.object({ ms: z.number().nonnegative() }), c.body, c.cloud.cloudId, 'advance');
      c.cloud.clock.advance(ms);
      return { body: { now: c.cloud.clock.iso() } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/admin\/idempotency\/([^/]+)$/,
    op: 'admin',
    handle: (c) => {
      const key = c.params[0];
      return { body: { key, calls: c.cloud.callsByIdempotencyKey(key), effects: c.cloud.effectsByIdempotencyKey(key) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/admin\/stats$/,
    op: 'admin',
    handle: (c) => ({ body: { cloudId: c.cloud.cloudId, objects: c.cloud.objectCount, revision: c.cloud.revision, now: c.cloud.clock.iso() } }),
  },
];
