import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { CHROMIUM_FLAGS, ensureChromium } from '../devserver/chromium';
import { CampaignEnv } from './support/campaign-env';

// An approver's path in the real Temporal UI, in a real headless Chromium: read Current Details, send the decide Update.
let env: CampaignEnv;
let browser: Browser;
beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorker();
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_FLAGS });
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

async function sendDecide(page: Page, data: object): Promise<void> {
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
  await dialog.getByTestId('confirm-modal-button').click();
}

/** The UI renders Markdown metadata in sandboxed iframes; waits for the one whose text contains `marker`. */
async function currentDetails(page: Page, marker: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    for (const frame of page.frames()) {
      const text = await frame
        .locator('body')
        .innerText()
        .catch(() => '');
      if (text.includes(marker)) return text;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no Current Details containing "${marker}"`);
}

it('shows the approver the variants and hash in Current Details, refuses the requester, and takes a roster approval', async () => {
  const handle = await env.start();
  const contentHash = await env.awaitApproval(handle);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
  await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows/${handle.workflowId}`);
  await page.getByText('User Metadata').first().click();
  const details = await currentDetails(page, 'Awaiting approval (round 1)');
  expect(details).toContain(contentHash);
  expect(details).toContain('Claims grounded in cited facts: 5 of 5');

  await sendDecide(page, { decision: 'approve', approver: 'lena.vogel', contentHash });
  const refusal = page
    .locator('dialog[open]')
    .getByText('lena.vogel requested this campaign and may not decide on it')
    .first();
  await refusal.waitFor();
  expect(await refusal.isVisible()).toBe(true);
  await page.locator('dialog[open]').getByTestId('cancel-modal-button').click();

  await sendDecide(page, { decision: 'approve', approver: 'sara.yilmaz', contentHash });
  const result = await handle.result();
  expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['sara.yilmaz'] });
  await page.close();
});
