/** A resource request as the handlers see it: the route read from the URL path, and what one request carries. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Controllers } from './controllers.ts';
import type { ObjectStore } from './object-store.ts';
import type { FixtureSettings } from './test-controls.ts';

export interface Route {
  readonly plural: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly sub?: string;
}

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly body: string;
  readonly route: Route;
  readonly store: ObjectStore;
  readonly settings: FixtureSettings;
  readonly controllers: Controllers;
  readonly watches: Set<ServerResponse>;
}

/** `/api/v1/…` and `/apis/<group>/v1/…` of the groups served, cluster-scoped or under `namespaces/<ns>/`. */
export function parsePath(path: string): Route | undefined {
  const m = /^\/(?:api\/v1|apis\/(?:apps|networking\.k8s\.io|rbac\.authorization\.k8s\.io|kubevirt\.io)\/v1)\/(.+)$/.exec(path);
  if (!m) return undefined;
  const s = m[1].split('/').filter(Boolean);
  if (s[0] === 'namespaces' && s.length >= 3) return { plural: s[2], namespace: s[1], name: s[3], sub: s[4] };
  return { plural: s[0], name: s[1], sub: s[2] };
}

export const isWatch = (u: URL): boolean => ['1', 'true'].includes(u.searchParams.get('watch') ?? '');
