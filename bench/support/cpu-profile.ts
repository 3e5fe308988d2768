/**
 * Where a V8 CPU profile (`.cpuprofile`, as `node --cpu-prof` or the inspector's Profiler writes it) spent
 * its time, in the shares issue 15 asks about. Each sample is charged to one category:
 *  1. `background` when any frame on its stack is background work (health checks, syncs, the workflow
 *     runner, the quota reaper, the daily snapshots, a simulated cloud answering them);
 *  2. `session lookup` when any frame is the token → caller → scope resolution;
 *  3. otherwise by the innermost frame that belongs to a category (SQL, hashing, JSON, logging, metrics,
 *     validation, tRPC, HTTP, application code); frames of none are `other`.
 * Idle time (and the profiler's own stop) is counted apart: shares are of the samples where the process was busy.
 * Limitation: PGlite runs queries from its own queue, so the SQL of background work (a sync's writes) shows as
 * `SQL`, not `background`: only the JavaScript of background work is charged to it. On PostgreSQL the server's
 * own CPU is not in this process's profile at all (the `SQL` share there is the client side: protocol, parsing).
 */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyMs: number;
  idleShare: number;
  /** Category → share of busy time (0..1), largest first. */
  shares: Record<string, number>;
  /** The functions with the most self time: `name (file:line)` and share of busy time. */
  topSelf: { frame: string; share: number }[];
}

type Frame = CpuProfile['nodes'][number]['callFrame'];

const BACKGROUND = /federation\/(sync|cloud-health|sync-scheduler|inventory|health)|engine\/runner|quotas\/.*reaper|extranet\/reachability|providers\/src\//;
const SESSION = (f: Frame) => /auth\/(sessions|caller-cache|scope)\.ts/.test(f.url) || f.functionName === 'resolveCaller' || f.functionName === 'scopeOf';

const LEAF_CATEGORIES: [string, (f: Frame) => boolean][] = [
  ['SQL', (f) => /@electric-sql\/pglite|^wasm:\/\/|\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-array)\/|store\/(pglite|postgres)-store\.ts/.test(f.url)],
  ['hashing', (f) => /internal\/crypto|sm-crypto|auth\/(password|tokens)\.ts|audit\/chain\.ts/.test(f.url) || /^(digest|createHash|update|timingSafeEqual|scrypt)$/.test(f.functionName) && f.url === ''],
  ['JSON', (f) => f.url === '' && /^(stringify|parse|JSONStringify|JSONParse)$/.test(f.functionName)],
  ['logging', (f) => /\/node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact)\/|src\/logger\.ts/.test(f.url)],
  ['metrics', (f) => /\/node_modules\/prom-client\/|src\/metrics\.ts/.test(f.url)],
  ['validation (zod)', (f) => /\/node_modules\/zod\//.test(f.url)],
  ['tRPC', (f) => /\/node_modules\/@trpc\/|src\/trpc\.ts|src\/context\.ts/.test(f.url)],
  ['HTTP', (f) => /^node:(_http|http|net|stream|internal\/(streams|http|net|stream_base|js_stream))|node:internal\/url|src\/http\.ts|\/node_modules\/(sirv|fastify|find-my-way|avvio|@fastify)\//.test(f.url)],
  ['application code', (f) => /control-plane\/src\//.test(f.url)],
  ['module loading (tsx)', (f) => /\/node_modules\/(tsx|esbuild|get-tsconfig)\//.test(f.url)],
];

export function summariseProfile(profile: CpuProfile, topN = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = categoryOf.get(id);
    if (known) return known;
    const stack: Frame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur)!.callFrame);
    const leaf = stack[0]!.functionName;
    let category: string;
    if (leaf === '(idle)') category = 'idle';
    // The profiler's own stop (serialising the profile) is measurement, not the server's work.
    else if (stack.some((f) => f.url === 'node:inspector')) category = 'idle';
    else if (leaf === '(garbage collector)') category = 'GC';
    else if (leaf === '(program)') category = 'V8 / native (program)';
    else if (stack.some((f) => BACKGROUND.test(f.url))) category = 'background';
    else if (stack.some(SESSION)) category = 'session lookup';
    else category = stack.map((f) => LEAF_CATEGORIES.find(([, test]) => test(f))?.[0]).find((c) => c !== undefined) ?? 'other';
    categoryOf.set(id, category);
    return category;
  };
  const time = new Map<string, number>();
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    total += dt;
    const c = classify(id);
    time.set(c, (time.get(c) ?? 0) + dt);
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const idle = time.get('idle') ?? 0;
  const busy = Math.max(1, total - idle);
  time.delete('idle');
  const shares = Object.fromEntries([...time].sort((a, b) => b[1] - a[1]).map(([c, t]) => [c, round(t / busy)]));
  const selfByFrame = new Map<string, number>();
  for (const [id, t] of self) {
    const f = byId.get(id)!.callFrame;
    if (classify(id) === 'idle') continue; // idle, and the profiler's own stop (inspector `dispatch`)
    const where = f.url ? ` (${f.url.replace(/^.*\/(node_modules\/)?/, '').slice(0, 60)}:${f.lineNumber + 1})` : '';
    const key = `${f.functionName || '(anonymous)'}${where}`;
    selfByFrame.set(key, (selfByFrame.get(key) ?? 0) + t);
  }
  const topSelf = [...selfByFrame].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([frame, t]) => ({ frame, share: round(t / busy) }));
  return { busyMs: Math.round(busy / 1000), idleShare: round(idle / Math.max(1, total)), shares, topSelf };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
