import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { CHROMIUM_FLAGS, ensureChromium } from '../devserver/chromium';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { currentDetails, sendDecide, signedByCli } from './support/temporal-ui';

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

/** A signed decision as `npx campaign sign` prints it for pasting into the Update dialog. */
const signed = (id: string, as: string, contentHash: string) =>
  signedByCli(id, as, contentHash, { CAMPAIGN_KEY_DIR: env.keyDir });

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
