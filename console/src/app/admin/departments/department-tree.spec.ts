import { sampleDepartment } from '../../../testing/test-helpers';
import { divisionGroups, selfAndDescendants, treeRows } from './department-tree';

describe('department tree helpers', () => {
  const a = sampleDepartment({ id: 'a', name: '甲', parentId: null });
  const b = sampleDepartment({ id: 'b', name: '乙', parentId: 'a' });
  const c = sampleDepartment({ id: 'c', name: '丙', parentId: 'b' });
  const orphan = sampleDepartment({ id: 'o', name: '孤', parentId: 'gone' });

  it('orders parents before children with their depth; unknown parents become roots', () => {
    const rows = treeRows([c, orphan, b, a]);
    expect(rows.map((r) => [r.dept.id, r.depth])).toEqual(
      jasmine.arrayWithExactContents([
        ['a', 0],
        ['b', 1],
        ['c', 2],
        ['o', 0],
      ]),
    );
    const ids = rows.map((r) => r.dept.id);
    expect(ids.indexOf('a')).toBeLessThan(ids.indexOf('b'));
    expect(ids.indexOf('b')).toBeLessThan(ids.indexOf('c'));
  });

  it('still lists departments caught in a parent cycle', () => {
    const x = sampleDepartment({ id: 'x', name: 'x', parentId: 'y' });
    const y = sampleDepartment({ id: 'y', name: 'y', parentId: 'x' });
    expect(treeRows([x, y]).map((r) => r.dept.id).sort()).toEqual(['x', 'y']);
  });

  it('finds a department and all its descendants', () => {
    expect([...selfAndDescendants([a, b, c, orphan], 'a')].sort()).toEqual(['a', 'b', 'c']);
  });

  it('groups counties under their city with searchable "city / county" labels', () => {
    const groups = divisionGroups([
      { code: '360000', name: '江西省', level: 'province', parentCode: null },
      { code: '360100', name: '南昌市', level: 'city', parentCode: '360000' },
      { code: '360102', name: '东湖区', level: 'county', parentCode: '360100' },
    ]);
    expect(groups).toEqual([
      { label: '江西省', options: [{ code: '360000', label: '江西省' }] },
      {
        label: '南昌市',
        options: [
          { code: '360100', label: '南昌市' },
          { code: '360102', label: '南昌市 / 东湖区' },
        ],
      },
    ]);
  });
});
