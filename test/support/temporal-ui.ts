import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';
import { runCli } from './run-cli';

/**
 * Where the browser tests put their screenshots: CAMPAIGN_SCREENSHOT_DIR (`npm run screenshots` writes the README's
 * into docs/screenshots), else a temporary folder.
 */
export function screenshotDir(): string {
  const dir = process.env.CAMPAIGN_SCREENSHOT_DIR
    ? resolve(PROJECT_ROOT, process.env.CAMPAIGN_SCREENSHOT_DIR)
    : mkdtempSync(join(tmpdir(), 'campaign-screenshots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The approval inbox as a visibility query in the UI. */
export const INBOX_QUERY = 'CampaignStage IN ("awaiting-approval", "awaiting-budget") AND ExecutionStatus = "Running"';

/**
 * Sends the `decide` Update with `data` through the Temporal UI's "Send an Update" dialog. Tab first: the first click
 * on Submit while the Data editor has focus only takes the focus away (the editor reformats and the dialog grows).
 */
export async function sendDecide(
  page: Page,
  data: object,
  options: { beforeSubmit?: () => Promise<unknown> } = {},
): Promise<void> {
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send an Update' }).first().click();
  const dialog = page.locator('dialog[open]').first();
  await dialog.getByTestId('update-select-button').click();
  // The handler list and its description come from the running worker.
  const option = dialog.getByRole('option', { name: /^decide/ });
  expect(await option.innerText()).toContain('Approve, reject or request changes');
  await option.click();
  await dialog.getByRole('textbox', { name: 'Data' }).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(JSON.stringify(data));
  await page.keyboard.press('Tab');
  await options.beforeSubmit?.();
  await dialog.getByTestId('confirm-modal-button').click();
}

/** The UI renders Markdown metadata in sandboxed iframes; waits for the one whose text contains `marker`. */
export async function currentDetails(page: Page, marker: string): Promise<{ frame: Frame; text: string }> {
  for (let i = 0; i < 100; i++) {
    for (const frame of page.frames()) {
      const text = await frame
        .locator('body')
        .innerText()
        .catch(() => '');
      if (text.includes(marker)) return { frame, text };
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no Current Details containing "${marker}"`);
}

/** A signed decision as `npx campaign sign` prints it for pasting into the Update dialog. */
export async function signedByCli(
  id: string,
  as: string,
  contentHash: string,
  env: Record<string, string>,
): Promise<object> {
  const run = await runCli(['sign', id, '--as', as, '--content-hash', contentHash], env);
  expect(run.stderr).toContain('paste this');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as object;
}
