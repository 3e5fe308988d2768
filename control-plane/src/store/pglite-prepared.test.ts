import { PGlite } from '@electric-sql/pglite';
import { PreparedStatements } from './pglite-prepared.ts';
import { INT8_OID, NUMERIC_OID, parseNumber } from './store.ts';
import { wrapPglite } from './pglite-store.ts';

/** The embedded store's statement path (store/pglite-prepared.ts), on a PGlite of its own. */
describe('PGlite prepared statements (store/pglite-prepared.ts)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create({ parsers: { [INT8_OID]: parseNumber, [NUMERIC_OID]: parseNumber } });
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.exec('DROP TABLE IF EXISTS prep_spec; CREATE TABLE prep_spec (id int PRIMARY KEY, v text NOT NULL); DEALLOCATE ALL;');
  });

  const prepared = async () => (await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map((r) => r.statement);

  it('prepares each statement text once and reuses it, with the same values as PGlite.query (int8 and numeric as numbers, jsonb, arrays, null)', async () => {
    const s = new PreparedStatements(db);
    const sql = 'SELECT $1::int8 AS n, $2::numeric AS x, $3::jsonb AS j, $4::text[] AS arr, $5::uuid AS u';
    const params = [7, '2.5', JSON.stringify({ a: [1] }), ['x', 'y'], null];
    for (let i = 0; i < 3; i++) expect(await s.query(sql, params)).toEqual([{ n: 7, x: 2.5, j: { a: [1] }, arr: ['x', 'y'], u: null }]);
    expect(await s.query(sql, params)).toEqual((await db.query(sql, params)).rows);
    expect((await prepared()).filter((t) => t === sql).length).toBe(1);
  });

  it('gives the event loop a turn before each statement, so that queued statements do not hold up sockets and timers until the queue is empty', async () => {
    const store = wrapPglite(db);
    const order: string[] = [];
    const statements = [0, 1, 2, 3].map((i) => store.query('SELECT $1::int AS i', [i]).then(() => order.push(`statement ${i}`)));
    const inTransaction = store.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await tx.query('SELECT 2');
      order.push('transaction');
    });
    setImmediate(() => order.push('a turn of the event loop'));
    await Promise.all([...statements, inTransaction]);
    // Without the turn, all five ran in microtasks before the loop moved: the turn came after all of them.
    const turn = order.indexOf('a turn of the event loop');
    expect(turn).toBeGreaterThanOrEqual(0);
    expect(turn).toBeLessThan(order.indexOf('transaction'));
    expect(turn).toBeLessThan(order.indexOf('statement 3'));
    expect(order.filter((o) => o.startsWith('statement'))).toEqual(['statement 0', 'statement 1', 'statement 2', 'statement 3']);
  });

  it('answers a failed statement with PostgreSQL\'s error (code, message, the statement) and keeps working', async () => {
    const s = new PreparedStatements(db);
    await s.query('INSERT INTO prep_spec VALUES ($1, $2)', [1, 'a']);
    const dup = await s.query('INSERT INTO prep_spec VALUES ($1, $2)', [1, 'b']).catch((e: unknown) => e as Error & { code?: string; query?: string });
    expect(dup).toEqual(jasmine.objectContaining({ code: '23505', query: 'INSERT INTO prep_spec VALUES ($1, $2)' }));
    expect((dup as Error).message).toMatch(/duplicate key/);
    await expectAsync(s.query('SELEC 1')).toBeRejectedWith(jasmine.objectContaining({ code: '42601' }));
    expect(await s.query('SELECT v FROM prep_spec ORDER BY id')).toEqual([{ v: 'a' }]);
  });

  it('rolls a transaction back whole when one of its statements fails (through the store)', async () => {
    const store = wrapPglite(db);
    await expectAsync(store.transaction(async (tx) => {
      await tx.query('INSERT INTO prep_spec VALUES ($1, $2)', [1, 'a']);
      await tx.query('INSERT INTO prep_spec VALUES ($1, $2)', [1, 'again']);
    })).toBeRejectedWith(jasmine.objectContaining({ code: '23505' }));
    expect(await store.query('SELECT count(*)::int AS n FROM prep_spec')).toEqual([{ n: 0 }]);
    await store.transaction((tx) => tx.query('INSERT INTO prep_spec VALUES ($1, $2)', [2, 'b']));
    expect(await store.query('SELECT id, v FROM prep_spec')).toEqual([{ id: 2, v: 'b' }]);
  });

  it('prepares again a statement whose result columns a migration changed', async () => {
    const s = new PreparedStatements(db);
    await s.query('INSERT INTO prep_spec VALUES ($1, $2)', [1, 'a']);
    expect(await s.query('SELECT * FROM prep_spec')).toEqual([{ id: 1, v: 'a' }]);
    await db.exec('ALTER TABLE prep_spec ADD COLUMN w int DEFAULT 5');
    expect(await s.query('SELECT * FROM prep_spec')).toEqual([{ id: 1, v: 'a', w: 5 }]);
  });

  it('keeps at most its bound of statements prepared, closing the least recently used', async () => {
    const s = new PreparedStatements(db, 3);
    const text = (i: number) => `SELECT ${i} AS i`;
    for (const i of [1, 2, 3, 1, 4]) expect(await s.query(text(i))).toEqual([{ i }]);
    expect((await prepared()).sort()).toEqual([text(1), text(3), text(4)]);
  });

  it('delivers NOTIFY to the store\'s listeners from statements in and outside transactions', async () => {
    const store = wrapPglite(db);
    const heard: string[] = [];
    const unlisten = await store.listen!('prep_spec_channel', () => heard.push('n'));
    await store.query(`SELECT pg_notify('prep_spec_channel', '')`);
    await store.transaction((tx) => tx.query(`SELECT pg_notify('prep_spec_channel', '')`));
    await new Promise((r) => setTimeout(r, 20));
    await unlisten();
    expect(heard.length).toBe(2);
  });
});
