import { PagedList, type Page } from './paged-list';

interface Row {
  id: number;
  name: string;
}

/** A server of rows 1..n, newest first, pages of 2, with answers the spec releases by hand. */
function server(rows: Row[]) {
  const pending: { cursor: number | undefined; resolve: (p: Page<Row, number>) => void; reject: (e: unknown) => void }[] = [];
  const answer = (cursor: number | undefined): Page<Row, number> => {
    const from = cursor === undefined ? 0 : rows.findIndex((r) => r.id === cursor) + 1;
    const items = rows.slice(from, from + 2);
    const last = items[items.length - 1];
    return { items, nextCursor: from + 2 < rows.length && last ? last.id : null };
  };
  return {
    rows,
    pending,
    load: (cursor: number | undefined) =>
      new Promise<Page<Row, number>>((resolve, reject) => pending.push({ cursor, resolve, reject })),
    release(i = 0) {
      const p = pending.splice(i, 1)[0]!;
      p.resolve(answer(p.cursor));
    },
  };
}

const row = (id: number, name = `row ${id}`): Row => ({ id, name });
const flush = () => new Promise((r) => setTimeout(r));

describe('PagedList', () => {
  it('reads the first page, then the next ones, and knows when there is no more', async () => {
    const s = server([row(5), row(4), row(3)]);
    const list = new PagedList<Row, number>({ load: s.load, key: (r) => r.id });

    const first = list.reload();
    expect(list.loading()).toBeTrue();
    s.release();
    await first;
    expect(list.items().map((r) => r.id)).toEqual([5, 4]);
    expect(list.hasMore()).toBeTrue();

    const next = list.more();
    s.release();
    await next;
    expect(list.items().map((r) => r.id)).toEqual([5, 4, 3]);
    expect(list.hasMore()).toBeFalse();
    expect(list.loading()).toBeFalse();
  });

  it('drops the answer of a read overtaken by a newer reload (a filter changed meanwhile)', async () => {
    const s = server([row(2), row(1)]);
    const list = new PagedList<Row, number>({ load: s.load, key: (r) => r.id });

    const old = list.reload();
    s.rows.splice(0, 2, row(9, 'new filter'));
    const fresh = list.reload();
    s.release(1); // the newer answer arrives first
    await fresh;
    s.pending[0]!.resolve({ items: [row(2), row(1)], nextCursor: null });
    await old;

    expect(list.items()).toEqual([row(9, 'new filter')]);
  });

  it('keeps the rows and says what failed when a page cannot be read', async () => {
    const s = server([row(3), row(2), row(1)]);
    const list = new PagedList<Row, number>({ load: s.load, key: (r) => r.id });
    const first = list.reload();
    s.release();
    await first;

    const next = list.more();
    s.pending.shift()!.reject(Object.assign(new Error('down'), { data: { code: 'INTERNAL_SERVER_ERROR' } }));
    await next;

    expect(list.items().map((r) => r.id)).toEqual([3, 2]);
    expect(list.error()?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(list.hasMore()).toBeTrue();
  });

  it('refreshes the first page quietly, keeping the rows shown beyond it, and takes live rows once', async () => {
    const s = server([row(4), row(3), row(2), row(1)]);
    const list = new PagedList<Row, number>({ load: s.load, key: (r) => r.id });
    const first = list.reload();
    s.release();
    await first;
    const next = list.more();
    s.release();
    await next;

    s.rows.unshift(row(5));
    const refresh = list.refresh();
    expect(list.loading()).toBeFalse();
    s.release();
    await refresh;
    await flush();
    expect(list.items().map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);

    list.upsert(row(6));
    list.upsert(row(5, 'renamed'));
    expect(list.items().map((r) => r.name)).toEqual(['row 6', 'renamed', 'row 4', 'row 3', 'row 2', 'row 1']);
  });
});
