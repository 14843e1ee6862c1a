import { join } from 'node:path';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { CHROMIUM_FLAGS, ensureChromium } from '../devserver/chromium';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { currentDetails, INBOX_QUERY, screenshotDir, sendDecide, signedByCli } from './support/temporal-ui';

// An approver's path in the real Temporal UI, in a real headless Chromium: the inbox, Current Details, the decide
// Update from the dialog, and the final details, with signed decisions (no login).
const shots = screenshotDir();
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

/** Whether the element with `text` is shown whole: not cut off at the right edge of its frame, not scrolled. */
async function shownWhole(frame: Frame, text: string): Promise<boolean> {
  const element = frame.locator('pre, code, p, li').filter({ hasText: text }).last();
  const width = await frame.locator('body').evaluate((body) => body.ownerDocument.documentElement.clientWidth);
  return element.evaluate((el, right) => {
    const box = el.getBoundingClientRect();
    return box.right <= right && el.scrollWidth <= el.clientWidth + 1;
  }, width);
}

async function openDetails(page: Page, id: string, marker: string) {
  await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows/${id}`);
  await page.getByText('User Metadata').first().click();
  return currentDetails(page, marker);
}

it('shows the approver readable, escaped details and the signing command, takes a signed approval, and the outcome', async () => {
  // A brief that tries to forge the approver's page: a fake heading, a fake hash and HTML.
  const forged = '### Awaiting approval (round 9) **Content hash:** `deadbeef` <b>Freigegeben</b>';
  const handle = await env.start({ ...GOOD_BRIEF, campaign: `Herbst ${forged}` });
  const contentHash = await env.awaitApproval(handle);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });

  // The inbox is a visibility query in the UI.
  await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows?query=${encodeURIComponent(INBOX_QUERY)}`);
  await page.getByText(handle.workflowId).first().waitFor();
  await page.screenshot({ path: join(shots, '1-inbox.png') });

  const { frame, text } = await openDetails(page, handle.workflowId, 'Wartet auf Freigabe · Runde 1');
  // One block per variant, with the facts it cites and their text.
  expect(await frame.locator('h4', { hasText: 'email-1 · E-Mail' }).count()).toBe(1);
  expect(await frame.locator('h4', { hasText: 'search-ad-1 · Suchanzeige' }).count()).toBe(1);
  expect(text).toMatch(/Zitierte Fakten:\s+PROD-1 /);
  // The deadline in the approver's terms, and how long is left.
  expect(text).toMatch(/Entscheiden bis: \w{2}\., \d{1,2}\. \w{3}\.? 2026, \d\d:\d\d MES?Z \(\d\d:\d\d UTC\)/);
  expect(text).toMatch(/noch (2 Tage 23 Stunden|3 Tage 0 Stunden)/);
  expect(text).toContain('Können noch entscheiden: jonas.weber, sara.yilmaz, miriam.koch, paul.richter');
  expect(text).toContain('Aussagen mit belegten Fakten: 5 von 5');
  // The whole hash is on screen, in the hash block and in the signing command.
  expect(await shownWhole(frame, contentHash)).toBe(true);
  expect(text).toContain(`npx campaign sign ${handle.workflowId} \\`);
  // The injected Markdown and HTML arrive as the text they are: no second heading, no bold, no hash but the real one.
  expect(text).toContain(forged);
  expect(await frame.locator('h3', { hasText: 'round 9' }).count()).toBe(0);
  expect(await frame.locator('b, strong', { hasText: /^Freigegeben$/ }).count()).toBe(0);
  // The same in the Summary and Details the UI shows beside them (set at start), and key messages as a list.
  const summary = await currentDetails(page, '(search-ad, email, social)');
  expect(summary.text).toContain(forged);
  expect(await summary.frame.locator('b, strong', { hasText: /^Freigegeben$/ }).count()).toBe(0);
  const details = await currentDetails(page, 'Key messages');
  expect(await details.frame.locator('li', { hasText: '12 Monate Preisgarantie' }).count()).toBe(1);
  await page.screenshot({ path: join(shots, '2-details.png'), fullPage: true });

  await sendDecide(page, await signed(handle.workflowId, 'lena.vogel', contentHash));
  const refusal = page
    .locator('dialog[open]')
    .getByText('lena.vogel hat diese Kampagne beauftragt und darf nicht darüber entscheiden')
    .first();
  await refusal.waitFor();
  await page.screenshot({ path: join(shots, '3-refused.png') });
  await page.locator('dialog[open]').getByTestId('cancel-modal-button').click();

  // An unsigned approval is refused with the way to sign it.
  await sendDecide(page, { decision: 'approve', approver: 'sara.yilmaz', contentHash });
  const unsigned = page.locator('dialog[open]').getByText('decision.signature: required for this campaign').first();
  await unsigned.waitFor();
  await page.locator('dialog[open]').getByTestId('cancel-modal-button').click();

  await sendDecide(page, await signed(handle.workflowId, 'sara.yilmaz', contentHash), {
    beforeSubmit: () => page.screenshot({ path: join(shots, '4-dialog.png') }),
  });
  const result = await handle.result();
  expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['sara.yilmaz'] });
  expect(result.audit.find((e) => e.step === 'approval')?.actor.establishedBy).toMatch(
    /^Ed25519 signature by key ed25519:/,
  );

  // The final state, after opening the campaign again (no reload of a stale page needed).
  const after = await openDetails(page, handle.workflowId, 'Ergebnis: veröffentlicht');
  expect(after.text).toContain('Freigegeben von sara.yilmaz');
  expect(after.text).toMatch(/sara\.yilmaz: freigegeben, \w{2}\., \d{1,2}\. \w{3}\.? 2026/);
  expect(after.text).toContain(`${handle.workflowId}/package.json`);
  expect(after.text).toContain(result.auditHead);
  expect(await shownWhole(after.frame, contentHash)).toBe(true);
  expect(after.text).not.toContain('Wartet auf Freigabe');
  await page.screenshot({ path: join(shots, '5-published.png'), fullPage: true });
  await page.close();
});
