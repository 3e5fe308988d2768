import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { startProduct, type RunningProduct } from '../support/product.ts';
import { launchChromium } from '../support/browser.ts';

/**
 * Accessibility of every page reachable from the menu (and the sign-in page), checked with axe-core in a real
 * browser against the product as `npm start` runs it (demo data): no serious or critical violation of WCAG 2.1
 * A/AA. The figures before this spec (both languages, 19 page scans each): colour contrast failed on all 19 pages
 * (1,099 elements), form fields without a label on 11 pages, unnamed icon buttons on the audit page.
 */
const ADMIN_PASSWORD = 'E2e-Axe-Password-1';
/** Every page of the menu in Chinese; a few in English (colours and structure do not change with the language). */
const PAGES = ['', 'clouds', 'clouds/devices', 'workflows', 'onboarding', 'quotas', 'requests', 'network', 'network/units', 'network/risks',
  'network/access', 'network/import', 'network/ipam', 'dr', 'migrations', 'admin/users', 'admin/departments', 'audit'];

/**
 * Unlabelled select inputs still on these pages (nodes per page): they are to be labelled by the page's owner;
 * a count may only go down. None is left (network/access went last, with the shared system picker); every
 * serious or critical violation fails the spec.
 */
const KNOWN_LABEL_GAPS: Record<string, number> = {};

interface Finding { page: string; rule: string; impact: string; nodes: number; example: string }

async function scan(page: Page, where: string): Promise<Finding[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: where, rule: v.id, impact: v.impact!, nodes: v.nodes.length, example: v.nodes[0]?.target.join(' ') ?? '' }));
}

describe('console accessibility (axe-core, headless Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startProduct({ GANYUN_ADMIN_PASSWORD: ADMIN_PASSWORD });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  for (const [locale, pages] of [['zh-CN', PAGES], ['en-US', ['', 'clouds', 'dr', 'audit']]] as const) {
    it(`has no serious or critical violation on the sign-in page and ${pages.length} pages of the menu (${locale})`, async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
      const page = await context.newPage();
      try {
        await page.goto(product.url);
        await page.waitForURL(/\/login/);
        if (locale !== 'zh-CN') await page.evaluate(() => localStorage.setItem('ganyun.lang', 'en'));
        await page.reload();
        await page.locator('#login-username').waitFor();
        const findings = await scan(page, 'login');
        await page.fill('#login-username', 'admin');
        await page.fill('#login-password', ADMIN_PASSWORD);
        await page.click('button[type=submit]');
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        for (const path of pages) {
          await page.goto(`${product.url}/${path}`);
          await page.waitForLoadState('networkidle').catch(() => undefined);
          await page.locator('main, .ant-layout-content').first().waitFor();
          findings.push(...(await scan(page, path || 'overview')));
        }
        const failing = findings.filter((f) => !(f.rule === 'label' && f.nodes <= (KNOWN_LABEL_GAPS[f.page] ?? 0)));
        if (failing.length) console.log(JSON.stringify(failing, null, 1));
        expect(failing.map((f) => `${f.page}: ${f.rule} (${f.impact}, ${f.nodes}) e.g. ${f.example}`)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 300_000);
  }
});
