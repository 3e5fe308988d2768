/** A deployment's `/scale` subresource (autoscaling/v1 `Scale`): read it, or set `spec.replicas` (422 unless a whole number ≥ 0). */
import { sendJson, sendStatus } from './http-io.ts';
import { notFound } from './object-handlers.ts';
import type { KubeObject } from './object-store.ts';
import type { Ctx } from './routing.ts';

export function scale(c: Ctx): void {
  const { route, store } = c;
  const d = store.get('deployments', route.namespace, route.name as string);
  if (d === undefined) return notFound(c);
  const asScale = (o: KubeObject): unknown => ({
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, resourceVersion: o.metadata.resourceVersion, uid: o.metadata.uid },
    spec: { replicas: o.spec?.['replicas'] ?? 1 },
    status: { replicas: o.status?.['replicas'] ?? 0 },
  });
  if (c.req.method === 'GET') return sendJson(c.res, 200, asScale(d));
  let replicas: unknown;
  try {
    replicas = (JSON.parse(c.body) as { spec?: { replicas?: unknown } }).spec?.replicas;
  } catch {
    replicas = undefined;
  }
  if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
    return sendStatus(c.res, 422, 'Invalid', 'Scale.autoscaling "x" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0', 'deployments', route.name);
  }
  const next = structuredClone(d);
  next.spec = { ...next.spec, replicas };
  next.metadata.generation = (d.metadata.generation ?? 1) + 1;
  const stored = c.controllers.afterWrite('deployments', store.put('deployments', next, 'MODIFIED'));
  sendJson(c.res, 200, asScale(stored));
}
