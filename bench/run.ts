/**
 * `npm run bench -- <name>` runs bench/<name>.ts. An unknown or missing name lists the benchmarks (exit 2).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)).sort();
const name = process.argv[2];
if (name === undefined || !available.includes(name)) {
  process.stderr.write(`${name === undefined ? 'no benchmark named' : `unknown benchmark "${name}"`}; usage: npm run bench -- <name>\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}
await import(`./${name}.ts`);
