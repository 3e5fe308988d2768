import type { Department, Division } from '../../core/api-types';

export interface DepartmentRow {
  dept: Department;
  depth: number;
}

/**
 * Orders departments as a tree (parents before their children, siblings by name) so a flat
 * table reads like the hierarchy. Departments whose parent is missing are shown as roots;
 * a `seen` set keeps bad data (a cycle) from looping forever.
 */
export function treeRows(items: readonly Department[]): DepartmentRow[] {
  const byName = (a: Department, b: Department) => a.name.localeCompare(b.name, 'zh-CN');
  const ids = new Set(items.map((d) => d.id));
  const children = new Map<string | null, Department[]>();
  for (const d of items) {
    const parent = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const rows: DepartmentRow[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const d of [...(children.get(parent) ?? [])].sort(byName)) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      rows.push({ dept: d, depth });
      visit(d.id, depth + 1);
    }
  };
  visit(null, 0);
  // Anything left over sits in a cycle; show it rather than hide it.
  for (const d of items) if (!seen.has(d.id)) rows.push({ dept: d, depth: 0 });
  return rows;
}

/** Ids of a department and everything below it: none of them may become its parent. */
export function selfAndDescendants(items: readonly Department[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of items) {
      if (d.parentId && out.has(d.parentId) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

export interface DivisionOption {
  code: string;
  label: string;
}
export interface DivisionGroup {
  label: string;
  options: DivisionOption[];
}

/**
 * Groups the province, its cities and their counties for one searchable select:
 * each city is a group holding the city itself and "city / county" entries, so typing
 * either name finds the county.
 */
export function divisionGroups(divisions: readonly Division[]): DivisionGroup[] {
  const provinces = divisions.filter((d) => d.level === 'province');
  const cities = divisions.filter((d) => d.level === 'city');
  const counties = divisions.filter((d) => d.level === 'county');
  const groups: DivisionGroup[] = provinces.map((p) => ({
    label: p.name,
    options: [{ code: p.code, label: p.name }],
  }));
  for (const city of cities) {
    groups.push({
      label: city.name,
      options: [
        { code: city.code, label: city.name },
        ...counties
          .filter((c) => c.parentCode === city.code)
          .map((c) => ({ code: c.code, label: `${city.name} / ${c.name}` })),
      ],
    });
  }
  return groups;
}
