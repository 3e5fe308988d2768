import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { consoleFiles } from './console-files.ts';

describe('console files: precompressed, hashed assets cached for a year, index.html revalidated', () => {
  let server: Server;
  let base: string;
  const js = `console.log(${JSON.stringify('赣云 '.repeat(500))});`;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganyun-console-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Ganyun</title><script src="main-ABCD1234.js"></script>');
    writeFileSync(join(dir, 'main-ABCD1234.js'), js);
    writeFileSync(join(dir, 'main-ABCD1234.js.gz'), gzipSync(js));
    writeFileSync(join(dir, 'main-ABCD1234.js.br'), brotliCompressSync(js));
    const handler = consoleFiles(dir)!;
    server = createServer((req, res) => handler(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  // fetch decodes the body as a browser does: what arrives decoded must be the original file.
  const get = (path: string, headers: Record<string, string>) => fetch(`${base}${path}`, { headers });

  it('sends the brotli or gzip file the browser accepts, immutable for a year', async () => {
    const br = await get('/main-ABCD1234.js', { 'accept-encoding': 'br, gzip' });
    expect([br.status, br.headers.get('content-encoding'), br.headers.get('cache-control')]).toEqual([200, 'br', 'public, max-age=31536000, immutable']);
    expect(await br.text()).toBe(js);
    const gz = await get('/main-ABCD1234.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe(js);
    const plain = await get('/main-ABCD1234.js', { 'accept-encoding': 'identity' });
    expect([plain.headers.get('content-encoding'), await plain.text()]).toEqual([null, js]);
  });

  it('revalidates index.html (also for a deep link) and answers 304 when it did not change', async () => {
    const first = await get('/', {});
    expect([first.status, first.headers.get('cache-control')]).toEqual([200, 'no-cache']);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await get('/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    const deep = await get('/requests/42', {});
    expect([deep.status, deep.headers.get('cache-control'), (await deep.text()).includes('<title>Ganyun</title>')]).toEqual([200, 'no-cache', true]);
  });
});
