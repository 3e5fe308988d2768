import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT, startProduct, type RunningProduct } from '../support/product.ts';
import { launchChromium } from '../support/browser.ts';

/**
 * The console in a real browser (Debian's Chromium, headless) against the product started as
 * `npm start` starts it: sign in, create a department (after a refused credit code), create a user,
 * and find both changes in the audit log, whose chain verifies.
 */
const ADMIN_PASSWORD = 'E2e-Admin-Password-1';
const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');

async function pickOption(page: Page, field: string, search: string, optionText: string) {
  await page.locator(`[data-field="${field}"] nz-select`).click();
  if (search) await page.keyboard.type(search);
  await page.locator('nz-option-item', { hasText: optionText }).first().click();
}

describe('console end to end (headless Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    product = await startProduct({ GANYUN_ADMIN_PASSWORD: ADMIN_PASSWORD });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('signs in, creates a department and a user, and shows both in the verified audit log', async () => {
    await page.goto(product.url);
    await page.waitForURL(/\/login/);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', 'wrong-password');
    await page.click('button[type=submit]');
    await page.locator('nz-alert').first().waitFor();
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    // Every user lands on the operations overview: the federation's health is there, with a link per cloud to look at.
    await page.locator('h1.overview-title', { hasText: '运行总览' }).waitFor();
    // The counts are drawn (as 0) before the clouds are read: wait for the read, not for the counts.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.panel-clouds .count .n')).reduce((sum, n) => sum + Number(n.textContent), 0) > 0);
    const counts = await page.locator('.panel-clouds .count .n').allTextContents();
    expect(counts.reduce((sum, n) => sum + Number(n), 0)).toBeGreaterThan(10);

    // A department, first with a wrong check character: the server's message appears beside the field.
    await page.goto(`${product.url}/admin/departments`);
    await page.click('.create-department');
    await page.fill('#dept-name', '江西省大数据中心');
    await page.fill('#dept-credit-code', '91350100M000100Y44');
    await pickOption(page, 'divisionCode', '南昌市', '南昌市');
    await page.click('.save');
    const creditCodeError = page.locator('[data-field="creditCode"] .ant-form-item-explain-error');
    await creditCodeError.waitFor();
    expect(await creditCodeError.textContent()).toMatch(/check character|校验/);
    await page.fill('#dept-credit-code', '91350100M000100Y43');
    await page.click('.save');
    await page.locator('.departments-table td.name', { hasText: '江西省大数据中心' }).waitFor();

    // A user in that department.
    await page.goto(`${product.url}/admin/users`);
    await page.click('.create-user');
    await page.fill('#user-username', 'zhang.san');
    await page.fill('#user-display-name', '张三');
    await page.fill('#user-password', 'Zhang-San-Initial-1');
    await pickOption(page, 'departmentId', '', '江西省大数据中心');
    await pickOption(page, 'roles', '', '部门用户');
    await page.keyboard.press('Escape');
    await page.click('.save');
    await page.locator('td', { hasText: 'zhang.san' }).first().waitFor();

    // Both changes are in the audit log, and the chain verifies.
    await page.goto(`${product.url}/audit`);
    await page.locator('.audit-table td.procedure', { hasText: 'users.create' }).first().waitFor();
    const procedures = await page.locator('.audit-table td.procedure').allTextContents();
    expect(procedures).toContain('departments.create');
    expect(procedures).toContain('users.create');
    expect(procedures.filter((p) => p === 'departments.create').length).toBe(2); // the refused attempt and the success
    await page.click('.verify');
    const result = page.locator('.verify-result');
    await result.waitFor();
    expect(await result.getAttribute('class')).not.toContain('error');
    await page.screenshot({ path: join(ARTIFACTS, 'audit-log.png'), fullPage: true });
  });
});
