import type { Locator, Page } from 'playwright-core';

/**
 * Choosing in the resource request form's ng-zorro selects: the open list's options, a select found by its label
 * (the label names its search input, which the shown choice covers), and a choice that waits for its list to close,
 * so the next list read is the next select's.
 */
export function formSelects(page: Page): {
  options: Locator;
  /** Opens a select and waits for its options to be drawn (reading them right after the click can find none yet). */
  open(field: Locator): Promise<void>;
  select(scope: Locator, label: string): Locator;
  choose(option: string): Promise<void>;
  pick(field: Locator, option: string): Promise<void>;
} {
  const options = page.locator('.ant-select-dropdown:visible nz-option-item');
  const select = (scope: Locator, label: string) => scope.getByLabel(label, { exact: true }).locator('xpath=ancestor::nz-select[1]');
  const choose = async (option: string) => {
    await options.filter({ hasText: option }).first().click();
    await options.first().waitFor({ state: 'hidden' });
  };
  const open = async (field: Locator) => {
    await field.click();
    await options.first().waitFor();
  };
  const pick = async (field: Locator, option: string) => {
    await field.click();
    await choose(option);
  };
  return { options, open, select, choose, pick };
}
