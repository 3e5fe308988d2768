/**
 * One object's reads and writes: get, create (409 AlreadyExists, a namespace that is missing or terminating), replace
 * and merge-patch (409 Conflict on a stale resourceVersion), and delete (a namespace passes through Terminating and
 * its contents go with it). Every write gets the next resourceVersion from the store and passes the controllers.
 */
import { invalid } from './admission.ts';
import { sendJson, sendStatus } from './http-io.ts';
import { parseQuantity, type KubeObject } from './object-store.ts';
import type { Ctx } from './routing.ts';

export function getOne(c: Ctx): void {
  const o = c.store.get(c.route.plural, c.route.namespace, c.route.name as string);
  if (o === undefined) return notFound(c);
  sendJson(c.res, 200, o);
}

export function create(c: Ctx): void {
  const obj = parseBody(c);
  if (obj === undefined) return;
  const { route, store } = c;
  if (route.namespace !== undefined) obj.metadata.namespace = route.namespace;
  if (invalid(c, obj)) return;
  if (route.namespace !== undefined) {
    const ns = store.get('namespaces', undefined, route.namespace);
    if (ns === undefined) return sendStatus(c.res, 404, 'NotFound', `namespaces "${route.namespace}" not found`, 'namespaces', route.namespace);
    if (ns.metadata.deletionTimestamp !== undefined) return sendStatus(c.res, 403, 'Forbidden', `unable to create new content in namespace ${route.namespace} because it is being terminated`);
  }
  if (store.get(route.plural, route.namespace, obj.metadata.name) !== undefined) {
    return sendStatus(c.res, 409, 'AlreadyExists', `${route.plural} "${obj.metadata.name}" already exists`, route.plural, obj.metadata.name);
  }
  delete obj.metadata.resourceVersion;
  if (route.plural === 'deployments') obj.metadata.generation = 1;
  if (route.plural === 'namespaces') obj.status = { phase: 'Active' };
  if (route.plural === 'persistentvolumeclaims') obj.status = { phase: 'Bound', capacity: (obj.spec?.['resources'] as { requests?: unknown } | undefined)?.requests ?? {} };
  if (route.plural === 'virtualmachines') obj.status = { ready: true, printableStatus: 'Running' };
  sendJson(c.res, 201, c.controllers.afterWrite(route.plural, store.put(route.plural, obj, 'ADDED')));
}

export function replace(c: Ctx): void {
  const obj = parseBody(c);
  if (obj === undefined) return;
  const current = c.store.get(c.route.plural, c.route.namespace, c.route.name as string);
  if (current === undefined) return notFound(c);
  if (obj.metadata.name !== c.route.name) return sendStatus(c.res, 400, 'BadRequest', 'the name of the object does not match the name on the URL');
  const rv = obj.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) {
    return sendStatus(c.res, 409, 'Conflict', `Operation cannot be fulfilled on ${c.route.plural} "${c.route.name}": the object has been modified; please apply your changes to the latest version and try again`, c.route.plural, c.route.name);
  }
  write(c, current, obj);
}

export function patch(c: Ctx): void {
  const type = c.req.headers['content-type'] ?? '';
  if (!/merge-patch|strategic-merge-patch/.test(type)) return sendStatus(c.res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`);
  let p: unknown;
  try {
    p = JSON.parse(c.body);
  } catch {
    return sendStatus(c.res, 400, 'BadRequest', 'the patch is not valid JSON');
  }
  const current = c.store.get(c.route.plural, c.route.namespace, c.route.name as string);
  if (current === undefined) return notFound(c);
  const next = mergePatch(structuredClone(current), p) as KubeObject;
  const rv = (p as KubeObject).metadata?.resourceVersion;
  if (rv !== undefined && rv !== current.metadata.resourceVersion) {
    return sendStatus(c.res, 409, 'Conflict', `Operation cannot be fulfilled on ${c.route.plural} "${c.route.name}": the object has been modified`, c.route.plural, c.route.name);
  }
  write(c, current, next);
}

function write(c: Ctx, current: KubeObject, next: KubeObject): void {
  if (invalid(c, next)) return;
  next.metadata = { ...next.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp, namespace: current.metadata.namespace };
  if (c.route.plural === 'deployments') {
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
    next.metadata.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    next.status = current.status;
  }
  if (c.route.plural === 'persistentvolumeclaims') {
    // As kube-apiserver: a claim's storage request only grows (and only where the storage class allows expansion).
    const size = (o: KubeObject) => parseQuantity((o.spec?.['resources'] as { requests?: { storage?: string } } | undefined)?.requests?.storage);
    if (size(next) < size(current)) return sendStatus(c.res, 422, 'Invalid', `PersistentVolumeClaim "${c.route.name}" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value`, c.route.plural, c.route.name);
    next.status = { ...current.status, capacity: (next.spec?.['resources'] as { requests?: unknown } | undefined)?.requests ?? {} };
  }
  sendJson(c.res, 200, c.controllers.afterWrite(c.route.plural, c.store.put(c.route.plural, next, 'MODIFIED')));
}

export function remove(c: Ctx): void {
  const { route, store } = c;
  const name = route.name as string;
  const current = store.get(route.plural, route.namespace, name);
  if (current === undefined) return notFound(c);
  if (route.plural === 'namespaces') {
    // Namespaces pass through Terminating; the fixture's namespace controller finishes at once.
    current.metadata.deletionTimestamp = new Date().toISOString();
    current.status = { phase: 'Terminating' };
    const terminating = store.put('namespaces', current, 'MODIFIED');
    store.removeNamespace(name);
    return sendJson(c.res, 200, terminating);
  }
  store.remove(route.plural, route.namespace, name);
  c.controllers.afterWrite(route.plural, current);
  sendJson(c.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: route.plural, uid: current.metadata.uid } });
}

export function notFound(c: Ctx): void {
  sendStatus(c.res, 404, 'NotFound', `${c.route.plural} "${c.route.name}" not found`, c.route.plural, c.route.name);
}

function parseBody(c: Ctx): KubeObject | undefined {
  try {
    const o = JSON.parse(c.body) as KubeObject;
    if (typeof o !== 'object' || o === null || typeof o.metadata !== 'object') throw new Error('no metadata');
    return o;
  } catch (e) {
    sendStatus(c.res, 400, 'BadRequest', `the request body is not a Kubernetes object: ${String(e)}`);
    return undefined;
  }
}

/** JSON merge patch (RFC 7386): objects merge, null deletes, anything else replaces. */
function mergePatch(target: unknown, p: unknown): unknown {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return p;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(p)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
