/**
 * Collection reads: a list with `limit` + `continue` (410 Expired for a compacted continue token, and the failing
 * page test control), and a `?watch=1` JSON-line stream from a resourceVersion with bookmarks (410 Gone for
 * compacted history, as an ERROR event or as HTTP 410).
 * Known simplification: a continued list reads current objects after the last key, not a snapshot at the list's
 * resourceVersion.
 */
import { sendJson, sendStatus, status } from './http-io.ts';
import { matchesSelector, type StoredEvent } from './object-store.ts';
import type { Ctx } from './routing.ts';

export function list(c: Ctx): void {
  const { url, store, route, settings } = c;
  const limit = Number(url.searchParams.get('limit') ?? 0);
  const cont = url.searchParams.get('continue');
  let after = '';
  let listRv = store.revision;
  if (cont !== null && cont !== '') {
    if ((settings.failContinuePages ?? 0) > 0) {
      settings.failContinuePages = (settings.failContinuePages ?? 1) - 1;
      return sendStatus(c.res, 503, 'ServiceUnavailable', 'fixture: this page fails once');
    }
    try {
      const t = JSON.parse(Buffer.from(cont, 'base64url').toString()) as { rv: number; after: string };
      [after, listRv] = [t.after, t.rv];
    } catch {
      return sendStatus(c.res, 400, 'BadRequest', 'invalid continue token');
    }
    if (listRv < store.compactedRv) return sendStatus(c.res, 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.');
  }
  const selector = url.searchParams.get('labelSelector');
  const all = store
    .list(route.plural, route.namespace)
    .filter((o) => matchesSelector(o.metadata.labels, selector))
    .filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after);
  const items = limit > 0 ? all.slice(0, limit) : all;
  const more = limit > 0 && all.length > limit;
  const last = items[items.length - 1];
  const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
  if (more && last !== undefined) {
    metadata['continue'] = Buffer.from(JSON.stringify({ rv: listRv, after: `${last.metadata.namespace ?? ''}/${last.metadata.name}` })).toString('base64url');
    metadata['remainingItemCount'] = all.length - items.length;
  }
  const info = store.kind(route.plural);
  sendJson(c.res, 200, { kind: `${info?.kind}List`, apiVersion: info?.apiVersion, metadata, items });
}

export function watch(c: Ctx): void {
  const { url, store, route, res, settings } = c;
  const from = Number(url.searchParams.get('resourceVersion') ?? store.revision);
  const selector = url.searchParams.get('labelSelector');
  const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
  const gone = from < store.compactedRv;
  if (gone && settings.goneAs === 'http') return sendStatus(res, 410, 'Expired', `too old resource version: ${from} (${store.compactedRv})`);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  const write = (type: string, object: unknown): boolean => res.write(`${JSON.stringify({ type, object })}\n`);
  if (gone) {
    write('ERROR', status(410, 'Expired', `too old resource version: ${from} (${store.compactedRv})`));
    return void res.end();
  }
  const wanted = (e: StoredEvent): boolean =>
    e.rv > from && e.plural === route.plural && (route.namespace === undefined || e.object.metadata.namespace === route.namespace) && matchesSelector(e.object.metadata.labels, selector);
  for (const e of store.events.filter(wanted)) write(e.type, e.object);
  const info = store.kind(route.plural);
  if (bookmarks) write('BOOKMARK', { kind: info?.kind, apiVersion: info?.apiVersion, metadata: { resourceVersion: String(store.revision) } });
  const unsubscribe = store.subscribe((e) => {
    if (wanted(e)) write(e.type, e.object);
  });
  c.watches.add(res);
  const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
  const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
  const stop = (): void => {
    unsubscribe();
    c.watches.delete(res);
    if (timer !== undefined) clearTimeout(timer);
  };
  res.on('close', stop);
}
