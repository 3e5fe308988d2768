import type { Page } from 'playwright-core';

/** Reading a business system's page: one resource's row of the resources table, cell by cell. */
export async function resourceCells(page: Page, name: string): Promise<{ kind: string; size: string; ipv4: string; ipv6: string; state: string; createdBy: string | null }> {
  const r = page.locator('.resources-table tr.resource', { has: page.locator('td.name', { hasText: new RegExp(`^${name}$`) }) });
  const [kind, size, ipv4, ipv6, state] = await Promise.all(['kind', 'size', 'ipv4', 'ipv6', 'state'].map((c) => r.locator(`td.${c}`).innerText()));
  return { kind: kind!.trim(), size: size!.trim(), ipv4: ipv4!.trim(), ipv6: ipv6!.trim(), state: state!.trim(), createdBy: await r.locator('a.created-by').getAttribute('href') };
}

/** Whether an IPv4 address lies in a prefix (a.b.c.d in w.x.y.z/n). */
export function inPrefix(address: string, prefix: string): boolean {
  const int = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [net, len] = prefix.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(int(address) / size) === Math.floor(int(net!) / size);
}
