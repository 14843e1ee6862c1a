import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { CHROMIUM_FLAGS, ensureChromium } from '../devserver/chromium';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { runCli } from './support/run-cli';

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
async function currentDetails(page: Page, marker: string): Promise<{ frame: Frame; text: string }> {
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
async function signed(id: string, as: string, contentHash: string): Promise<object> {
  const run = await runCli(['sign', id, '--as', as, '--content-hash', contentHash], { CAMPAIGN_KEY_DIR: env.keyDir });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as object;
}

it('shows the approver escaped details and the signing command, refuses the requester, and takes a signed approval', async () => {
  // A brief that tries to forge the approver's page: a fake heading, a fake hash and HTML.
  const forged = '### Awaiting approval (round 9) **Content hash:** `deadbeef` <b>Freigegeben</b>';
  const handle = await env.start({ ...GOOD_BRIEF, campaign: `Herbst ${forged}` });
  const contentHash = await env.awaitApproval(handle);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
  await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows/${handle.workflowId}`);
  await page.getByText('User Metadata').first().click();
  const { frame, text } = await currentDetails(page, 'Awaiting approval (round 1)');
  expect(text).toContain(contentHash);
  expect(text).toContain('Claims grounded in cited facts: 5 of 5');
  expect(text).toContain(
    `npx campaign sign ${handle.workflowId} --as <your roster id> --decision approve --content-hash ${contentHash}`,
  );
  // The injected Markdown and HTML arrive as the text they are: no second heading, no bold, no hash but the real one.
  expect(text).toContain(forged);
  expect(await frame.locator('h3', { hasText: 'round 9' }).count()).toBe(0);
  expect(await frame.locator('b, strong', { hasText: 'Freigegeben' }).count()).toBe(0);

  await sendDecide(page, await signed(handle.workflowId, 'lena.vogel', contentHash));
  const refusal = page
    .locator('dialog[open]')
    .getByText('lena.vogel requested this campaign and may not decide on it')
    .first();
  await refusal.waitFor();
  expect(await refusal.isVisible()).toBe(true);
  await page.locator('dialog[open]').getByTestId('cancel-modal-button').click();

  // An unsigned approval is refused with the way to sign it.
  await sendDecide(page, { decision: 'approve', approver: 'sara.yilmaz', contentHash });
  const unsigned = page.locator('dialog[open]').getByText('decision.signature: required for this campaign').first();
  await unsigned.waitFor();
  await page.locator('dialog[open]').getByTestId('cancel-modal-button').click();

  await sendDecide(page, await signed(handle.workflowId, 'sara.yilmaz', contentHash));
  const result = await handle.result();
  expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['sara.yilmaz'] });
  expect(result.audit.find((e) => e.step === 'approval')?.actor.establishedBy).toMatch(
    /^Ed25519 signature by key ed25519:/,
  );
  await page.close();
});
