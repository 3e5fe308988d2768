import { InputError } from '../errors.ts';
import { keyset, keysetOrder } from './keyset.ts';

/** The cursor a client sends back is checked against the key's SQL type before it reaches the database. */
describe('keyset cursors', () => {
  const cursorOf = (...values: string[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

  it('turns a cursor into the condition after it, its values as parameters cast to the key types', () => {
    const params: unknown[] = ['dept'];
    const q = keyset(keysetOrder('desc', ['r.submitted_at', 'timestamptz'], ['r.id', 'uuid']), { cursor: cursorOf('2026-01-02T03:04:05.000006Z', '0194a5d2-8c1e-7000-8000-000000000000'), limit: 50 }, params);
    expect(q.after).toBe('(r.submitted_at, r.id) < ($2::timestamptz, $3::uuid)');
    expect(params).toEqual(['dept', '2026-01-02T03:04:05.000006Z', '0194a5d2-8c1e-7000-8000-000000000000', 51]);
  });

  it('writes the page size into the SQL when asked (literalLimit), taking no parameter for it, and only a positive integer', () => {
    const order = keysetOrder('asc', ['id', 'int']);
    const params: unknown[] = ['x'];
    expect(keyset(order, { limit: 50 }, params, { literalLimit: true }).limit).toBe('51');
    expect(params).toEqual(['x']);
    expect(keyset(order, { limit: 50 }, params).limit).toBe('$2');
    expect(params).toEqual(['x', 51]);
    expect(() => keyset(order, { limit: 2.5 }, [], { literalLimit: true })).toThrowError(/positive integer/);
    expect(() => keyset(order, { limit: 0 }, [], { literalLimit: true })).toThrowError(/positive integer/);
  });

  it('refuses an int key outside int4 as a forged cursor (the cast would fail in the database), and takes it as bigint', () => {
    const int = keysetOrder('desc', ['id', 'int']);
    expect(keyset(int, { cursor: cursorOf('2147483647'), limit: 10 }, []).after).toBe('id < $1::int');
    for (const forged of ['2147483648', '-2147483649', '99999999999', '123456789012345678', '1.5', 'x']) {
      expect(() => keyset(int, { cursor: cursorOf(forged), limit: 10 }, [])).withContext(forged).toThrowMatching((e) => e instanceof InputError && e.field === 'cursor');
    }
    expect(keyset(keysetOrder('asc', ['seq', 'bigint']), { cursor: cursorOf('123456789012345678'), limit: 10 }, []).after).toBe('seq > $1::bigint');
  });

  it('refuses a cursor of another list (another number of keys) or one that is not base64 JSON', () => {
    const order = keysetOrder('asc', ['name', 'text'], ['id', 'uuid']);
    expect(() => keyset(order, { cursor: cursorOf('a'), limit: 10 }, [])).toThrowMatching((e) => e instanceof InputError);
    expect(() => keyset(order, { cursor: '%%%', limit: 10 }, [])).toThrowMatching((e) => e instanceof InputError);
  });
});
