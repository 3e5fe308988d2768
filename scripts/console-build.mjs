#!/usr/bin/env node
// Builds the console only when it changed: `npm start` calls this before starting the server.
//  - A content stamp (SHA-256 over every file of console/ except its build output and node_modules, plus the
//    lock file and this script) is written beside the build; when it matches, the build is skipped and a
//    restart takes seconds instead of a minute and more. A fresh clone has no build and no stamp: it builds once.
//  - After `ng build`, every text asset is precompressed (gzip and brotli, best compression) so the server sends
//    the .br/.gz file as it is (sirv), with no compression work per request.
// `node scripts/console-build.mjs --force` always builds (npm run build:console).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const consoleDir = join(root, 'console');
const outDir = join(consoleDir, 'dist/console/browser');
const stampFile = join(consoleDir, 'dist/.ganyun-console-stamp');
const SKIP = new Set(['node_modules', 'dist', '.angular', 'coverage']);

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p) : e.isFile() ? [p] : [];
  });
}

function stampOf() {
  const h = createHash('sha256');
  for (const f of [...files(consoleDir).sort(), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|map|webmanifest|ico|ttf|otf)$/;

/** Writes name.gz and name.br beside every compressible asset larger than 1 KiB; returns the byte counts. */
function precompress(dir) {
  let raw = 0, gz = 0, br = 0;
  for (const f of files(dir)) {
    if (!COMPRESSIBLE.test(f) || statSync(f).size < 1024) continue;
    const data = readFileSync(f);
    const g = gzipSync(data, { level: 9 });
    const b = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    writeFileSync(`${f}.gz`, g);
    writeFileSync(`${f}.br`, b);
    raw += data.length; gz += g.length; br += b.length;
  }
  return { raw, gz, br };
}

const force = process.argv.includes('--force');
const stamp = stampOf();
if (!force && existsSync(join(outDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  process.stdout.write('console: unchanged since the last build (stamp matches), not rebuilding\n');
  process.exit(0);
}
const started = Date.now();
execFileSync('npm', ['run', 'build', '-w', 'console'], { cwd: root, stdio: 'inherit' });
const sizes = precompress(outDir);
writeFileSync(stampFile, `${stamp}\n`);
const kib = (n) => `${Math.round(n / 1024)} KiB`;
process.stdout.write(`console: built in ${Math.round((Date.now() - started) / 1000)} s; assets ${kib(sizes.raw)}, gzip ${kib(sizes.gz)}, brotli ${kib(sizes.br)}\n`);
