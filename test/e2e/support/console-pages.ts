import type { Page } from 'playwright-core';

/** The console's pages for a walk through all of them: the menu, and the links that lead to detail pages. */

/** Every page of the menu (as accessibility.e2e.ts lists them, with the resources page). */
export const MENU_PAGES = ['', 'clouds', 'clouds/devices', 'workflows', 'onboarding', 'quotas', 'requests', 'resources', 'network', 'network/units', 'network/risks',
  'network/access', 'network/import', 'network/ipam', 'dr', 'migrations', 'admin/users', 'admin/departments', 'audit'];

const DETAIL_LINKS = ['a[href^="/systems/"]', 'a[href^="/requests/"]', 'a[href^="/workflows/"]', 'a[href^="/clouds/"]:not([href="/clouds/devices"])',
  'a[href^="/network/units/"]', 'a[href^="/dr/runs/"]', 'a[href^="/migrations/waves/"]'];

/** Opens a page and waits for it to settle (network idle if it gets there) and show its content. */
export async function visit(page: Page, url: string, path: string): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.locator('.ant-layout-content').first().waitFor();
}

/** The first link of each kind of detail page the page shows (systems, requests, workflows, clouds, units, DR runs, waves). */
export async function detailLinks(page: Page): Promise<string[]> {
  const hrefs: string[] = [];
  for (const selector of DETAIL_LINKS) {
    const href = await page.locator(selector).first().getAttribute('href', { timeout: 100 }).catch(() => null);
    if (href) hrefs.push(href);
  }
  return hrefs;
}
