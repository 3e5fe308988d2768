import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppDeps } from '../context.ts';
import { createHttpServer, type HttpOptions } from '../http.ts';
import { freshDeps, seedUser, sessionToken, type LogCapture } from './harness.ts';
import { forEachSpec } from './each-spec.ts';

/**
 * A control plane answering over real sockets on loopback, on fresh test state: for specs that attack the HTTP
 * API as an outsider would (security, headers, batching). `call` sends one tRPC call as a plain HTTP client.
 */
export interface HttpApp {
  deps: AppDeps & { logs: LogCapture };
  base: string;
  call(path: string, input: unknown, opts?: { token?: string | null; kind?: 'query' | 'mutation' }): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: { result?: { data: unknown }; error?: { message: string; data?: { code?: string; httpStatus?: number } } };
}

export async function startHttpApp(
  settings: Partial<AppDeps['settings']> = {}, opts: Partial<HttpOptions> = {},
): Promise<HttpApp> {
  const deps = await freshDeps(settings);
  const server: Server = createHttpServer(deps, { maxBodyBytes: 1024 * 1024, ...opts });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    deps,
    base,
    async call(path, input, { token = null, kind = 'mutation' } = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers['authorization'] = `Bearer ${token}`;
      const res = kind === 'mutation'
        ? await fetch(`${base}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input ?? null) })
        : await fetch(`${base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers });
      const text = await res.text();
      let body: HttpAnswer['body'] = {};
      try {
        body = JSON.parse(text) as HttpAnswer['body'];
      } catch {
        // not JSON (a static file, an SSE stream): the text is there
      }
      return { status: res.status, headers: res.headers, text, body };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** `startHttpApp` with an administrator `root` signed in: the usual start of a spec that calls the API as an admin. */
export async function startHttpAppAsAdmin(): Promise<{ app: HttpApp; adminToken: string }> {
  const app = await startHttpApp();
  const admin = await seedUser(app.deps, 'root', ['admin']);
  return { app, adminToken: await sessionToken(app.deps, admin.id) };
}

/**
 * In a describe: `startHttpAppAsAdmin` before each spec and the app stopped after it. Specs read `app` and
 * `adminToken` from the returned object, filled anew for each spec (as testSshdForSuite's `sshd`).
 */
export function adminAppForEachSpec(): { app: HttpApp; adminToken: string } {
  return forEachSpec(startHttpAppAsAdmin, ({ app }) => app.stop());
}
