import type { Page } from 'playwright-core';
import type { ConsoleLang } from '../../support/browser.ts';
import { TEXTS } from './journey-texts.ts';

/** The page actions and waits the journeys share: reading a text, opening a tab, the overview's approvals, approving. */

/** The text of the first element matching `selector`. */
export const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

/** Opens the tab of the page's tab set with this name. */
export const tab = (page: Page, name: string) => page.locator('.ant-tabs-tab', { hasText: name }).click();

/** The approvals panel of the overview once every panel has loaded (the page then shows when it was updated). */
export async function waitingForMe(page: Page): Promise<{ count: number; titles: string[] }> {
  await page.locator('.overview-live .updated').waitFor();
  const panel = page.locator('.panel-approvals');
  const count = Number(await panel.locator('.badge-n').innerText());
  const titles = await panel.locator('ul.approvals li > a').allInnerTexts();
  return { count, titles };
}

/** Approves a request from the signed-in approver's queue (待我审批), with a reason, and waits for it to leave the queue. */
export async function approveInQueue(page: Page, url: string, lang: ConsoleLang, title: string): Promise<void> {
  await page.goto(`${url}/requests`);
  await tab(page, TEXTS[lang].queueTab);
  const row = page.locator('.queue tr', { hasText: title });
  await row.locator('input.decision-reason').fill(TEXTS[lang].approve);
  await row.locator('button.approve').click();
  await row.waitFor({ state: 'detached' });
}

/**
 * The request page refreshes when the user comes back to it: they look again (every half second, for up to 20 s)
 * until its status reads `wanted`, failing the spec if it ends otherwise (failed, rejected, withdrawn).
 */
export async function revisitUntilStatus(page: Page, requestUrl: string, wanted: string): Promise<void> {
  const status = page.locator('h2.request-title .status');
  for (const until = Date.now() + 20_000; ;) {
    await page.goto(requestUrl);
    await status.waitFor();
    const now = (await status.innerText()).trim();
    if (now === wanted) break;
    expect(now).withContext('the request ended otherwise').not.toMatch(/失败|已驳回|已撤回/);
    if (Date.now() > until) fail(`still ${now} after 20 s`);
    await page.waitForTimeout(500);
  }
}
