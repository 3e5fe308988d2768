/**
 * What every bench does around its measurement: progress a line at a time on stdout, percentiles of its
 * latencies, and its figures written to bench/results/<name>.json (where the docs and the comparisons read
 * them). One copy here so the benches agree on the place and format of their results.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (benches start child processes from it). */
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = join(root, 'bench/results');

/** One line of progress on stdout. */
export const out = (s: string) => process.stdout.write(`${s}\n`);

/** The p-th quantile (0 to 1) of xs by the nearest-rank method; NaN for none. */
export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

/** Writes `value` as indented JSON to bench/results/`file` (creating the folder) and returns the file's path. */
export function writeResult(file: string, value: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, file);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
