import fc from 'fast-check';
import { seedDepartment, seedUser, sessionToken } from './testing/harness.ts';
import { startHttpApp, type HttpApp } from './testing/http-app.ts';
import { procedureInput } from './testing/schema-arbitrary.ts';

/**
 * Issue 19.6: a schema-driven fuzz of every procedure through the HTTP API, as an administrator and as a
 * department user. Inputs come from each procedure's published JSON Schema (/api/catalog) with hostile values
 * mixed in (testing/schema-arbitrary.ts). Bounded in count (a fixed seed, a few inputs per procedure and
 * caller) in the suite; GANYUN_FUZZ_RUNS and GANYUN_FUZZ_SEED run more (the attack that found issue 19.6 used 10,752).
 * Every answer is below 500 and carries no database text; a refused call changes no row (audit aside) and a
 * refused mutation is audited exactly once.
 */
const RUNS = Number(process.env['GANYUN_FUZZ_RUNS'] ?? 2);
const SEED = Number(process.env['GANYUN_FUZZ_SEED'] ?? 20261205);
/** Would end the caller's own session and so blind the rest of the run. */
const SKIP = new Set(['auth.logout']);
/**
 * Called without a caller (the token is not read): a refusal is counted, not chained (issue 19.7), and a
 * failed sign-in is counted per source in login_sources before the password is checked (issue 19.1).
 */
const ANONYMOUS = new Set(['auth.login']);
const DATABASE_TEXT = /invalid byte sequence|invalid input syntax|violates|relation "|column "|syntax error at|duplicate key|stack|at async/i;

interface Entry { path: string; kind: 'query' | 'mutation' | 'subscription'; input: unknown }

describe('fuzz: every procedure through the HTTP API, inputs from its JSON Schema', () => {
  let app: HttpApp;
  let countsSql: string;

  beforeAll(async () => {
    app = await startHttpApp();
    const tables = (await app.deps.store.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'audit%' AND tablename NOT IN ('login_sources', 'schema_migrations') ORDER BY tablename`,
    )).map((r) => r.tablename);
    countsSql = `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(', ')}`;
  });
  afterAll(() => app.stop());

  const rowCounts = async () => (await app.deps.store.query<Record<string, number>>(countsSql))[0]!;
  const auditSeq = async () => Number((await app.deps.store.query<{ seq: number }>('SELECT seq FROM audit_head WHERE id = 1'))[0]!.seq);

  async function call(entry: Entry, input: unknown, token: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const signal = AbortSignal.timeout(20_000);
    const res = entry.kind === 'mutation'
      ? await fetch(`${app.base}/trpc/${entry.path}`, { method: 'POST', headers, body: JSON.stringify(input ?? null), signal })
      : await fetch(`${app.base}/trpc/${entry.path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers, signal });
    return { status: res.status, text: await res.text() };
  }

  it(`answers ${RUNS} generated inputs per procedure and caller with no 5xx, no database text, no change when refused, one audit record per refused mutation`, async () => {
    const admin = await seedUser(app.deps, 'fuzz-admin', ['admin']);
    const department = await seedDepartment(app.deps, '模糊测试单位');
    const deptUser = await seedUser(app.deps, 'fuzz-dept', ['department-admin'], department.id);
    const tokens = {
      admin: await sessionToken(app.deps, admin.id, 600),
      department: await sessionToken(app.deps, deptUser.id, 600),
    };
    const { procedures } = (await (await fetch(`${app.base}/api/catalog`)).json()) as { procedures: Entry[] };
    const targets = procedures.filter((p) => p.kind !== 'subscription' && !SKIP.has(p.path));
    expect(targets.length).toBeGreaterThan(100);
    const problems: string[] = [];
    let calls = 0;
    let refused = 0;
    for (const [i, entry] of targets.entries()) {
      const inputs = fc.sample(procedureInput(entry.input), { numRuns: RUNS * 2, seed: SEED + i });
      for (const [j, input] of inputs.entries()) {
        const who = j % 2 === 0 ? 'admin' : 'department';
        const beforeRows = await rowCounts();
        const beforeAudit = await auditSeq();
        let res: { status: number; text: string };
        try {
          res = await call(entry, input, tokens[who]);
        } catch (e) {
          problems.push(`${entry.path} as ${who}: no answer (${(e as Error).name}) for ${JSON.stringify(input)?.slice(0, 200)}`);
          continue;
        }
        calls++;
        const shown = `${entry.path} as ${who} → ${res.status} for ${JSON.stringify(input)?.slice(0, 200)}`;
        if (res.status >= 500) problems.push(`${shown}: ${res.text.slice(0, 200)}`);
        if (DATABASE_TEXT.test(res.text) && res.status >= 400) problems.push(`${shown}: database or stack text: ${res.text.slice(0, 200)}`);
        if (res.status >= 400) {
          refused++;
          const afterRows = await rowCounts();
          const changed = Object.keys(afterRows).filter((t) => afterRows[t] !== beforeRows[t]);
          if (changed.length) problems.push(`${shown}: refused but changed ${changed.join(', ')}`);
          const audited = (await auditSeq()) - beforeAudit;
          if (entry.kind === 'mutation' && !ANONYMOUS.has(entry.path) && audited !== 1) problems.push(`${shown}: refused mutation audited ${audited} times`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The run is only worth something if it reached the procedures: most calls are refused, some are not.
    expect(calls).toBe(targets.length * RUNS * 2);
    expect(refused).toBeGreaterThan(calls / 2);
    expect(refused).toBeLessThan(calls);
  }, 600_000);
});
