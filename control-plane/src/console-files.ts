import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';

/** Angular's hashed output names (`main-ABCD1234.js`, `chunk-….js`, `styles-….css`, `media/…-HASH.woff2`). */
const HASHED = /-[A-Z0-9]{8,}\.[a-z0-9]+$/;

/**
 * The console's static files. The build (scripts/console-build.mjs) writes a `.br` and a `.gz` beside every
 * text asset; sirv sends the one the browser accepts (`Vary: Accept-Encoding`) without compressing per request.
 * Hashed files never change under their name: cached for a year, `immutable`, so a repeat visit asks for none of
 * them. Everything else, `index.html` above all (it names the current hashes), is revalidated on every visit
 * (`no-cache` with the ETag: a 304 of a few hundred bytes when nothing changed).
 */
export function consoleFiles(dir: string | undefined): ((req: IncomingMessage, res: ServerResponse, next: () => void) => void) | null {
  if (!dir || !existsSync(dir)) return null;
  return sirv(dir, {
    single: true, etag: true, gzip: true, brotli: true,
    setHeaders(res, pathname) {
      res.setHeader('cache-control', HASHED.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
