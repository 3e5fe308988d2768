import { TRPCError, callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, type AnyTRPCRouter } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { ServerResponse } from 'node:http';
import type { Context } from './context.ts';
import { sharedAnswerText } from './shared-answers.ts';

/**
 * The common read, a single query by GET (`/trpc/clouds.list?input=…`: the console's httpLink and every script),
 * answered by calling the procedure through tRPC's own `callTRPCProcedure` and shaping the answer with tRPC's own
 * `getErrorShape` and status mapping, without the adapter's generic machinery around it (issue 15).
 *
 * Why: profiled at 64 connections, a cached `auth.me` spent about half of its CPU in that machinery, not in the
 * procedure: per call a fetch `Request` and `Headers` built from the Node request, three AbortControllers joined by
 * two `AbortSignal.any` (slow on Node 20, and most of the garbage), and a `Response` piped back into Node. None of
 * it does anything for a one-shot JSON query. The procedure itself runs exactly as before: the same middleware
 * chain (metrics, authorisation, scope, audit of refusals, error mapping), the same error formatter.
 *
 * Everything else (mutations, batches, subscriptions, a GET naming a mutation, unknown paths, input that is not
 * JSON) is left to tRPC's adapter: `queryCallOf` answers null and the caller falls through. The HTTP spec
 * (`trpc-query-path.test.ts`) sends the same requests through both ways and expects the same status and body.
 */
export interface QueryCall {
  path: string;
  input: unknown;
}

/** The single query a GET asks for, or null when tRPC's adapter must take the request. */
export function queryCallOf(queryPaths: ReadonlySet<string>, method: string, path: string, search: URLSearchParams): QueryCall | null {
  if (method !== 'GET' || !queryPaths.has(path) || search.has('batch')) return null;
  const text = search.get('input');
  if (text === null) return { path, input: undefined };
  try {
    return { path, input: JSON.parse(text) as unknown };
  } catch {
    return null; // tRPC's adapter answers malformed input with its own PARSE_ERROR
  }
}

/** The paths of every query procedure of `router`, read once at start. */
export function queryPathsOf(router: AnyTRPCRouter): Set<string> {
  const procedures = router._def.procedures as Record<string, { _def: { type: string } }>;
  return new Set(Object.entries(procedures).filter(([, p]) => p._def.type === 'query').map(([path]) => path));
}

/**
 * Runs the query and writes tRPC's answer: `{ result: { data } }` with 200, or `{ error: shape }` with its status. An
 * answer that cannot be written as JSON is a 500 in the same shape, as the adapter answers it.
 */
export async function answerQuery(router: AnyTRPCRouter, call: QueryCall, ctx: Context, res: ServerResponse): Promise<void> {
  const config = router._def._config;
  let status = 200;
  let text: string;
  try {
    const data = await callTRPCProcedure({ router, path: call.path, getRawInput: async () => call.input, ctx, type: 'query', signal: undefined, batchIndex: 0 });
    const shared = plainJson(config) ? sharedAnswerText(data) : undefined;
    // A shared answer's text is written once (shared-answers.ts); the envelope is what JSON.stringify writes around it.
    text = shared !== undefined ? `{"result":{"data":${shared}}}` : JSON.stringify(transformTRPCResponse(config, { result: { data } }));
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === 'INTERNAL_SERVER_ERROR' && !(cause instanceof TRPCError)) ctx.log.error({ err: cause, path: call.path }, 'query answer could not be written');
    status = getHTTPStatusCodeFromError(error);
    text = JSON.stringify(transformTRPCResponse(config, { error: getErrorShape({ config, error, type: 'query', path: call.path, input: call.input, ctx }) }));
  }
  if (res.destroyed) return; // the client left while the query ran
  res.writeHead(status, { 'content-type': 'application/json', vary: 'trpc-accept, accept' });
  res.end(text);
}

/** Whether the router's transformer hands data on unchanged (tRPC's default), so JSON text can stand for it: asked once per router config. */
function plainJson(config: AnyTRPCRouter['_def']['_config']): boolean {
  let plain = plainByConfig.get(config);
  if (plain === undefined) {
    const probe = {};
    plainByConfig.set(config, (plain = config.transformer.output.serialize(probe) === probe));
  }
  return plain;
}
const plainByConfig = new WeakMap<object, boolean>();
