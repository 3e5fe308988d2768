/**
 * A provider that speaks the sim server's HTTP API (see simulated/http-routes.ts) — and
 * any cloud-side agent that implements the same API. Errors are honest: a refused or
 * reset connection is `unavailable` (retryable), 429 is `throttled` with its Retry-After,
 * a body that is not JSON or not the contract is `garbage`, other 4xx are typed by status.
 */
import type { z } from 'zod';
import { ProviderError } from '../errors.ts';
import type { ProviderFeatures } from '../features.ts';
import type { FaultSettings } from '../simulated/faults.ts';
import { SimAdminClient } from './sim-admin-client.ts';
import type { CallOptions, CapacityReport, ConnectInfo, CreateOutcome, DeleteOutcome, HealthReport, InventoryPage, InventoryRequest, KeyedOp, KeyObservation, MutationOptions, MutationResult, NetworkFacts, Observation, Provider, ProviderOp, ReplicationLink, Resource, ResourceRef, ResourceSpec, TenantSpace, TenantSpaceSpec, UpdateOutcome } from '../spi.ts';
import * as wire from '../wire.ts';
import { fromErrorResponse, fromFetchFailure } from './http-errors.ts';

export interface RemoteProviderOptions {
  readonly cloudId: string;
  /** Base URL, e.g. http://127.0.0.1:7401 */
  readonly endpoint: string;
  readonly token?: string;
  /** Injectable for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

const tenantSpaceResult = <O extends string>(o: readonly [O, ...O[]]) => wire.mutationResultSchema(wire.tenantSpaceSchema, o);
const resourceResult = <O extends string>(o: readonly [O, ...O[]]) => wire.mutationResultSchema(wire.resourceSchema, o);
const CREATE = ['created', 'exists'] as const;
const UPDATE = ['updated', 'unchanged'] as const;
const DELETE = ['deleting', 'deleted', 'gone'] as const;

export class RemoteProvider implements Provider {
  readonly kind = 'remote';
  readonly cloudId: string;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private closed = false;
  /**
   * Fault switches, when the far side is a sim server (its admin hooks); any other cloud refuses them
   * (features.ts). A sim server that does not answer within 500 ms has no faults to show.
   */
  readonly features: ProviderFeatures = {
    faults: {
      set: async (f: FaultSettings) => {
        try {
          return await new SimAdminClient(this.opts.endpoint, this.opts.token).setFaults(f);
        } catch (e) {
          throw new Error('the cloud does not accept faults: only simulated clouds (in-process or sim servers) do', { cause: e });
        }
      },
      current: () => {
        const admin = new SimAdminClient(this.opts.endpoint, this.opts.token);
        const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 500).unref());
        return Promise.race([admin.faults().catch(() => null), timeout]);
      },
    },
  };

  constructor(private readonly opts: RemoteProviderOptions) {
    this.cloudId = opts.cloudId;
    this.base = opts.endpoint.replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? fetch;
  }

  private async request<T>(
    op: ProviderOp,
    method: string,
    path: string,
    schema: z.ZodType<T>,
    init: { body?: unknown; idempotencyKey?: string; signal?: AbortSignal | undefined } = {},
  ): Promise<T> {
    if (this.closed) throw new ProviderError({ provider: this.cloudId, op, code: 'unavailable', message: `${this.cloudId}: provider is closed` });
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.idempotencyKey !== undefined) headers['idempotency-key'] = init.idempotencyKey;
    if (this.opts.token !== undefined) headers['authorization'] = `Bearer ${this.opts.token}`;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(init.signal !== undefined ? { signal: init.signal } : {}),
      });
      text = await res.text();
    } catch (e) {
      throw fromFetchFailure(e, this.cloudId, op, init.signal);
    }
    if (!res.ok) throw fromErrorResponse(res.status, res.headers, text, this.cloudId, op);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ProviderError({ provider: this.cloudId, op, code: 'garbage', message: `${this.cloudId}: ${op}: response is not JSON`, cause: e });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ProviderError({
        provider: this.cloudId,
        op,
        code: 'garbage',
        message: `${this.cloudId}: ${op}: response does not match the contract (${first?.path.join('.')}: ${first?.message})`,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  connect(opts?: CallOptions): Promise<ConnectInfo> {
    return this.request('connect', 'GET', '/v1/connect', wire.connectInfoSchema, { signal: opts?.signal });
  }

  observeTenantSpace(desired: TenantSpaceSpec, opts?: CallOptions): Promise<Observation<TenantSpace>> {
    return this.request('observeTenantSpace', 'POST', '/v1/tenant-spaces:observe', wire.observationSchema(wire.tenantSpaceSchema), {
      body: desired,
      signal: opts?.signal,
    });
  }

  createTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, CreateOutcome>> {
    return this.request('createTenantSpace', 'POST', '/v1/tenant-spaces', tenantSpaceResult(CREATE), mutation(spec, opts));
  }

  updateTenantSpace(spec: TenantSpaceSpec, opts: MutationOptions): Promise<MutationResult<TenantSpace, UpdateOutcome>> {
    return this.request('updateTenantSpace', 'PUT', `/v1/tenant-spaces/${seg(spec.name)}`, tenantSpaceResult(UPDATE), mutation(spec, opts));
  }

  deleteTenantSpace(name: string, opts: MutationOptions): Promise<MutationResult<TenantSpace, DeleteOutcome>> {
    return this.request('deleteTenantSpace', 'DELETE', `/v1/tenant-spaces/${seg(name)}`, tenantSpaceResult(DELETE), mutation(undefined, opts));
  }

  observeResource(desired: ResourceSpec, opts?: CallOptions): Promise<Observation<Resource>> {
    return this.request('observeResource', 'POST', '/v1/resources:observe', wire.observationSchema(wire.resourceSchema), {
      body: desired,
      signal: opts?.signal,
    });
  }

  createResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, CreateOutcome>> {
    return this.request('createResource', 'POST', '/v1/resources', resourceResult(CREATE), mutation(spec, opts));
  }

  updateResource(spec: ResourceSpec, opts: MutationOptions): Promise<MutationResult<Resource, UpdateOutcome>> {
    return this.request('updateResource', 'PUT', resourcePath(spec), resourceResult(UPDATE), mutation(spec, opts));
  }

  deleteResource(ref: ResourceRef, opts: MutationOptions): Promise<MutationResult<Resource, DeleteOutcome>> {
    return this.request('deleteResource', 'DELETE', resourcePath(ref), resourceResult(DELETE), mutation(undefined, opts));
  }

  /** Asked of the cloud-side agent, which answers from its own call log (the sim server's ledger). */
  observeByKey(q: { readonly idempotencyKey: string; readonly op: KeyedOp }, opts?: CallOptions): Promise<KeyObservation> {
    return this.request('observeByKey', 'POST', '/v1/calls:observe-by-key', wire.keyObservationSchema, { body: q, signal: opts?.signal });
  }

  listInventory(req: InventoryRequest, opts?: CallOptions): Promise<InventoryPage> {
    const q = new URLSearchParams({ pageSize: String(req.pageSize) });
    if (req.cursor !== undefined) q.set('cursor', req.cursor);
    if (req.page !== undefined) q.set('page', req.page);
    return this.request('listInventory', 'GET', `/v1/inventory?${q}`, wire.inventoryPageSchema, { signal: opts?.signal });
  }

  capacity(opts?: CallOptions): Promise<CapacityReport> {
    return this.request('capacity', 'GET', '/v1/capacity', wire.capacityReportSchema, { signal: opts?.signal });
  }

  replicationLinks(opts?: CallOptions): Promise<readonly ReplicationLink[]> {
    return this.request('replicationLinks', 'GET', '/v1/replication-links', wire.replicationLinksSchema, { signal: opts?.signal });
  }

  networkFacts(opts?: CallOptions): Promise<NetworkFacts> {
    return this.request('networkFacts', 'GET', '/v1/network-facts', wire.networkFactsSchema, { signal: opts?.signal });
  }

  health(opts?: CallOptions): Promise<HealthReport> {
    return this.request('health', 'GET', '/v1/health', wire.healthReportSchema, { signal: opts?.signal });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function mutation(body: unknown, opts: MutationOptions): { body?: unknown; idempotencyKey: string; signal?: AbortSignal } {
  return {
    ...(body !== undefined ? { body } : {}),
    idempotencyKey: opts.idempotencyKey,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
  };
}

function seg(s: string): string {
  return encodeURIComponent(s);
}

function resourcePath(ref: ResourceRef): string {
  return `/v1/resources/${seg(ref.tenant)}/${seg(ref.kind)}/${seg(ref.name)}`;
}
