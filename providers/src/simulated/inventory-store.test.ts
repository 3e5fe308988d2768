import { InventoryStore } from './inventory-store.ts';

describe('InventoryStore', () => {
  it('lists the newest version of each key in revision order, within bounds', () => {
    const s = new InventoryStore<string>();
    s.put('a', 'a1');
    s.put('b', 'b1');
    s.put('a', 'a2');
    s.remove('b');
    s.put('c', 'c1');
    const all = s.scan(0, s.revision, 10, true).entries.map((e) => `${e.key}=${e.value ?? '†'}`);
    expect(all).toEqual(['a=a2', 'b=†', 'c=c1']);
    expect(s.scan(0, s.revision, 10, false).entries.map((e) => e.key)).toEqual(['a', 'c']);
    expect(s.scan(3, 4, 10, true).entries.map((e) => e.key)).withContext('only revisions 4').toEqual(['b']);
    expect(s.size).toBe(2);
  });

  it('pages with `more` true only when something qualifying follows', () => {
    const s = new InventoryStore<number>();
    for (let i = 0; i < 5; i++) s.put(`k${i}`, i);
    s.remove('k4');
    const p1 = s.scan(0, s.revision, 4, false);
    expect([p1.entries.length, p1.more]).withContext('k4 is a tombstone: nothing live follows').toEqual([4, false]);
    const p2 = s.scan(0, s.revision, 2, false);
    expect([p2.entries.length, p2.more, p2.last]).toEqual([2, true, 2]);
  });

  it('keeps order and content through compaction', () => {
    const s = new InventoryStore<number>();
    for (let round = 0; round < 30; round++) for (let i = 0; i < 100; i++) s.put(`k${i}`, round);
    const entries = s.scan(0, s.revision, 1000, true).entries;
    expect(entries.length).toBe(100);
    expect(entries.every((e) => e.value === 29)).toBeTrue();
    expect(entries.map((e) => e.revision)).toEqual([...entries.map((e) => e.revision)].sort((a, b) => a - b));
  });

  it('forgets the oldest tombstones beyond its limit and moves its horizon', () => {
    const s = new InventoryStore<number>(10);
    for (let i = 0; i < 1200; i++) {
      s.put(`k${i}`, i);
      s.remove(`k${i}`);
    }
    expect(s.horizon).toBeGreaterThan(0);
    expect(s.scan(0, s.revision, 5000, true).entries.length).toBeLessThanOrEqual(1200);
    expect(s.scan(s.horizon, s.revision, 5000, true).entries.every((e) => e.value === undefined)).toBeTrue();
  });
});
