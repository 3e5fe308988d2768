import { join } from 'node:path';
import { createPeople, launchChromium, signIn, type ConsoleLang } from './browser.ts';
import { REPO_ROOT, startProduct } from './product.ts';

/**
 * The README's screenshots (`npm run screenshots`): the product started as `npm start` starts it, on a fresh data
 * dir with the demo data, a cloud operator's operations overview and the system detail page of a demo system, in
 * Chinese and English, written to docs/. Needs the console build (the npm script makes it when stale).
 */
const ADMIN_PASSWORD = 'Screenshots-Admin-1';
const PASSWORD = 'Screenshots-Pass-2026';
const SYSTEM = '社会保障卡服务系统';

const product = await startProduct({ GANYUN_ADMIN_PASSWORD: ADMIN_PASSWORD });
const browser = await launchChromium();
try {
  await createPeople(product.url, ADMIN_PASSWORD, [{ username: 'zhao.liu', displayName: '赵六 Zhao Liu', roles: ['cloud-operator'] }], PASSWORD);
  for (const lang of ['zh-CN', 'en'] as ConsoleLang[]) {
    const { context, page } = await signIn(browser, product.url, 'zhao.liu', PASSWORD, lang);
    // Every panel has answered (the page shows when), then the map and charts have drawn.
    await page.locator('.overview-live .updated').waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', `overview.${lang}.png`), fullPage: true });

    await page.goto(`${product.url}/onboarding`);
    await page.locator('.systems-table a.system-link', { hasText: SYSTEM }).click();
    await page.locator('h2.system-name').waitFor();
    await page.locator('.quota-table tr.usage, .no-quota').first().waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', `system-detail.${lang}.png`), fullPage: true });
    await context.close();
    console.log(`docs/overview.${lang}.png, docs/system-detail.${lang}.png`);
  }
} finally {
  await browser.close();
  await product.stop();
}
