import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Jiangxi's administrative divisions (NBS codes, 2023), copied from shared/data into the product. */
export const DIVISIONS_CSV = fileURLToPath(new URL('../../data/jiangxi-divisions.csv', import.meta.url));

export type DivisionLevel = 'province' | 'city' | 'county' | 'township' | 'village';
export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

export async function loadDivisions(path = DIVISIONS_CSV): Promise<Division[]> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const [header, ...rows] = lines;
  if (header !== 'code,name,level,parent_code') throw new Error(`${path}: unexpected header ${header}`);
  // The file has no quoted fields (names contain no commas), so a plain split is exact.
  return rows.map((line, i) => {
    const [code, name, level, parent] = line.split(',');
    if (!code || !name || !level) throw new Error(`${path}:${i + 2}: malformed row`);
    return { code, name, level: level as DivisionLevel, parentCode: parent || null };
  });
}
