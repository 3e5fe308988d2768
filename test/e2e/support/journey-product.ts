import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPeople, launchChromium, signIn, type ConsoleLang } from '../../support/browser.ts';
import { startProduct, type RunningProduct } from '../../support/product.ts';

/**
 * The product the journeys run through: one server and one set of people for every journey in both languages (the
 * demo data: 江西省人力资源和社会保障厅（演示） and its systems), and a fresh signed-in page per person and spec.
 */
export const ADMIN_PASSWORD = 'E2e-Journeys-Admin-1';
export const PASSWORD = 'Journey-Password-2026';
export const DEPARTMENT = '江西省人力资源和社会保障厅（演示）';
export const PEOPLE = [
  { username: 'li.si', displayName: '李四', roles: ['department-user'], department: DEPARTMENT },
  { username: 'wang.wu', displayName: '王五', roles: ['department-admin'], department: DEPARTMENT },
  { username: 'zhao.liu', displayName: '赵六', roles: ['cloud-operator'] },
  { username: 'sun.qi', displayName: '孙七', roles: ['network-engineer'] },
  { username: 'zhou.ba', displayName: '周八', roles: ['auditor'] },
] as const;

export interface JourneyProduct {
  /** The running product's base URL (once `beforeAll` has run). */
  readonly url: string;
  /** A page signed in as `username` (the admin or one of PEOPLE) in `lang`; its context closes after the spec. */
  as(username: string, lang: ConsoleLang): Promise<Page>;
}

/**
 * Registers, in the calling `describe`, the start of the product and Chromium before all its specs (with PEOPLE
 * set up by the admin beforehand: console.e2e.ts covers doing that in the console), their stop after all, and the
 * closing of each spec's browser contexts after it.
 */
export function journeyProduct(): JourneyProduct {
  let product: RunningProduct;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    product = await startProduct({ GANYUN_ADMIN_PASSWORD: ADMIN_PASSWORD });
    browser = await launchChromium();
    await createPeople(product.url, ADMIN_PASSWORD, PEOPLE.map((p) => ({ ...p, roles: [...p.roles] })), PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  return {
    get url() {
      return product.url;
    },
    async as(username, lang) {
      const { context, page } = await signIn(browser, product.url, username, username === 'admin' ? ADMIN_PASSWORD : PASSWORD, lang);
      contexts.push(context);
      return page;
    },
  };
}
