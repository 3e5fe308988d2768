import type { TreeNode } from './network-types';

/** Share as a whole percentage (0 when there is nothing to share). */
export const percent = (part: number, whole: number): number => (whole > 0 ? Math.round((part * 100) / whole) : 0);

/** ng-zorro tag colour for a coverage or readiness share. */
export function shareColor(p: number): string {
  return p >= 90 ? 'green' : p >= 60 ? 'gold' : p > 0 ? 'orange' : 'red';
}

/** The two badges of a tree node: dual-plane coverage and IPv6 readiness of its whole subtree. */
export function badges(n: Pick<TreeNode, 'units' | 'dualPlane' | 'ipv6Ready'>) {
  const dual = percent(n.dualPlane, n.units);
  const v6 = percent(n.ipv6Ready, n.units);
  return { dual, v6, dualColor: shareColor(dual), v6Color: shareColor(v6) };
}

/** Triggers a browser download of text (CSV export). */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // A BOM so spreadsheet programs read the Chinese names as UTF-8.
  const blob = new Blob(['\uFEFF', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
