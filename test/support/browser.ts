import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The browser side of the e2e suites and the screenshot script: Debian's Chromium headless, a signed-in page in
 * either language (through the console's own sign-in form and language switch), and the few API calls that set up
 * people before a journey (the journeys themselves go through the UI only).
 */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

export type ConsoleLang = 'zh-CN' | 'en';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/**
 * A fresh context (its own session storage) signed in as `username`, in `lang`: the language is chosen with the
 * switch on the sign-in page, as a user would, and the page lands on the overview.
 */
export async function signIn(browser: Browser, url: string, username: string, password: string, lang: ConsoleLang): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.locator('#login-username').waitFor();
  if (lang === 'en') await page.locator('[data-lang="en"]').first().click();
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.locator('h1.overview-title').waitFor();
  return { context, page };
}

/** One tRPC call over HTTP as the console makes it (no transformer, no batching); throws with the server's answer on failure. */
export async function trpc<T = unknown>(url: string, procedure: string, input: unknown, token?: string, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const res = kind === 'query'
    ? await fetch(`${url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
    : await fetch(`${url}/trpc/${procedure}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${procedure}: HTTP ${res.status} ${JSON.stringify(body.error ?? body)}`);
  return body.result.data;
}

export interface Person { username: string; displayName: string; roles: string[]; department?: string }

/**
 * Creates people as the admin would (users.create) and lets each replace the initial password once (the first
 * sign-in would otherwise stop at the password-change page), so every person ends with `password`.
 */
export async function createPeople(url: string, adminPassword: string, people: readonly Person[], password: string): Promise<void> {
  const admin = await trpc<{ token: string }>(url, 'auth.login', { username: 'admin', password: adminPassword });
  const departments = await trpc<{ items: { id: string; name: string }[] }>(url, 'departments.list', {}, admin.token, 'query');
  for (const p of people) {
    const departmentId = p.department ? departments.items.find((d) => d.name === p.department)?.id : null;
    if (departmentId === undefined) throw new Error(`no department ${p.department}`);
    const initial = `Initial-Ganyun-Pw-${p.roles.join('')}-1`;
    await trpc(url, 'users.create', { username: p.username, displayName: p.displayName, password: initial, departmentId, roles: p.roles }, admin.token);
    const session = await trpc<{ token: string }>(url, 'auth.login', { username: p.username, password: initial });
    await trpc(url, 'auth.changePassword', { currentPassword: initial, newPassword: password }, session.token);
  }
}

/**
 * Chooses a business system through the console's shared picker (app-system-picker): types the name as a person
 * would, waits for the server's matches and clicks the one with exactly that name.
 */
export async function chooseSystem(page: Page, picker: string, name: string): Promise<void> {
  const root = page.locator(`app-system-picker${picker}`);
  await root.locator('input[role="combobox"]').fill(name);
  await root.locator('[role="option"]', { has: page.locator('.name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).click();
}
