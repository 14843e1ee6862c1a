import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AesGcmCodec } from '../codec/aes-gcm-codec';
import { loadSettings } from '../config/settings';
import { CHROMIUM_FLAGS, ensureChromium } from '../devserver/chromium';
import { freePort } from '../devserver/free-port';
import { type LoginStack, startLoginStack } from '../devserver/login-stack';
import type { CampaignResult } from '../domain/campaign';
import { loadCodecKeys } from '../keys/codec-keys';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { currentDetails, sendDecide } from './support/temporal-ui';

// An approver's path with the company login, on the real UI server, a real OpenID provider and a real browser: sign
// in, read Current Details, send the Data they give through the decide Update. No terminal, no key file.
const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
let env: CampaignEnv;
let stack: LoginStack;
let browser: Browser;

beforeAll(async () => {
  const codec = new AesGcmCodec(loadCodecKeys(loadSettings({ CAMPAIGN_CODEC_KEYS: KEYS }).codec) ?? never());
  env = await CampaignEnv.create({ codec });
  stack = await startLoginStack({
    temporalAddress: inject('temporalAddress'),
    namespace: 'default',
    codec,
    people: () => env.deps().data.roster().people,
    login: { keyFile: join(env.keyDir, 'login', 'login.key'), keysFile: join(env.keyDir, 'login-keys.yaml') },
    dir: mkdtempSync(join(tmpdir(), 'login-stack-')),
    ports: { ui: await freePort(), provider: await freePort(), codec: await freePort() },
    demo: true,
  });
  await env.startWorker(env.deps({ modelEnv: { CAMPAIGN_OIDC_ISSUER: stack.issuer } }));
  browser = await chromium.launch({
    executablePath: ensureChromium(),
    args: [...CHROMIUM_FLAGS, '--ignore-certificate-errors'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await env?.close();
});

function never(): never {
  throw new Error('no codec keys');
}

/** A browser session signed in to the UI as `person`, through the provider's login page. */
async function signedIn(person: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1200 } })).newPage();
  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: /Continue to SSO/i }).click();
  await page.getByLabel('Login').fill(person);
  await page.getByLabel('Password').fill(stack.passwords[person] ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === stack.uiUrl && !url.pathname.startsWith('/auth'));
  return page;
}

/** The Data Current Details give for the decide Update. */
async function dataToSend(page: Page, id: string): Promise<Record<string, string>> {
  await page.goto(`${stack.uiUrl}/namespaces/default/workflows/${id}`);
  await page.getByText('User Metadata').first().click();
  const { text } = await currentDetails(page, 'signed in as yourself');
  const json = /\{"decision":"approve"[^}]*\}/.exec(text)?.[0];
  expect(json).toBeDefined();
  return JSON.parse(json ?? '{}') as Record<string, string>;
}

describe('deciding with the company login', () => {
  it('approves with the plain Data from Current Details: published, recorded with the verified person', async () => {
    const handle = await env.start();
    await env.awaitApproval(handle);
    const page = await signedIn('jonas.weber');
    const data = await dataToSend(page, handle.workflowId);
    expect(Object.keys(data)).toEqual(['decision', 'campaignId', 'runId', 'planHash', 'contentHash']);
    await sendDecide(page, data);
    const result = (await handle.result()) as CampaignResult;
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber'] });
    const approval = result.audit.find((e) => e.step === 'approval');
    expect(approval?.actor.establishedBy).toMatch(
      /^login at http:\/\/localhost:\d+ \(subject jonas\.weber\), stamped by login service key ed25519:[0-9a-f]{16}/,
    );
    await page.close();
  });

  it('refuses the requester in words, records a Data that names someone else as the login, and needs two logins for four eyes', async () => {
    const HIGH_RISK = { ...GOOD_BRIEF, audience: { segment: 'seniors-elbtal', purpose: 'email-marketing' as const } };
    const handle = await env.start(HIGH_RISK);
    await env.awaitApproval(handle);
    // The requester, signed in: refused, and the UI says why although payloads are encrypted.
    const lena = await signedIn('lena.vogel');
    const data = await dataToSend(lena, handle.workflowId);
    await sendDecide(lena, data);
    await lena.getByText('lena.vogel requested this campaign and may not decide on it').first().waitFor();
    await lena.close();
    // jonas, with Data that names miriam (the compliance officer): recorded as jonas, the login.
    const jonas = await signedIn('jonas.weber');
    await sendDecide(jonas, { ...(await dataToSend(jonas, handle.workflowId)), approver: 'miriam.koch' });
    await waitUntil(async () => (await approvedBy(handle)).length === 1);
    expect(await approvedBy(handle)).toEqual(['jonas.weber']);
    // jonas again: one person is one approval.
    await sendDecide(jonas, await dataToSend(jonas, handle.workflowId));
    await jonas.getByText('jonas.weber has already approved this content').first().waitFor();
    await jonas.close();
    const miriam = await signedIn('miriam.koch');
    await sendDecide(miriam, await dataToSend(miriam, handle.workflowId));
    const result = (await handle.result()) as CampaignResult;
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber', 'miriam.koch'] });
    await miriam.close();
  });
});

async function approvedBy(handle: { query: (q: never) => Promise<unknown> }): Promise<string[]> {
  const state = (await handle.query('campaignState' as never)) as { pending: { approvedBy: string[] } | null };
  return state.pending?.approvedBy ?? [];
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
