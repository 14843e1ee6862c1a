import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AesGcmCodec } from '../codec/aes-gcm-codec';
import { createLoginGate } from '../codec/login-gate';
import { loadSettings } from '../config/settings';
import { CHROMIUM_FLAGS, ensureChromium } from '../devserver/chromium';
import { freePort } from '../devserver/free-port';
import { type LoginStack, startLoginStack } from '../devserver/login-stack';
import { startLocalOpenIdProvider } from '../devserver/openid-provider';
import type { CampaignResult } from '../domain/campaign';
import { hashOf } from '../domain/hash';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { loadCodecKeys } from '../keys/codec-keys';
import { campaignStateQuery } from '../workflows/messages';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { runCli, startCli } from './support/run-cli';
import { currentDetails, INBOX_QUERY, screenshotDir, sendDecide } from './support/temporal-ui';

// An approver's path with the company login, on the real UI server, a real OpenID provider and a real browser: sign
// in, read Current Details, send the Data they give through the decide Update. No terminal, no key file.
const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
let env: CampaignEnv;
let stack: LoginStack;
let browser: Browser;
let codec: AesGcmCodec;
const shots = screenshotDir();

beforeAll(async () => {
  codec = new AesGcmCodec(loadCodecKeys(loadSettings({ CAMPAIGN_CODEC_KEYS: KEYS }).codec) ?? never());
  env = await CampaignEnv.create({ codec });
  stack = await startLoginStack({
    temporalAddress: inject('temporalAddress'),
    namespace: 'default',
    codec,
    people: () => env.deps().data.roster().people,
    login: {
      keyFile: join(env.keyDir, 'login', 'login.key'),
      keysFile: join(env.keyDir, 'login-keys.yaml'),
      cliClientId: 'campaign-cli',
    },
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
async function signedIn(person: string, shot?: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1200 } })).newPage();
  await page.goto(stack.uiUrl);
  await page.getByRole('button', { name: /Continue to SSO/i }).click();
  await page.getByLabel('Login').fill(person);
  await page.getByLabel('Password').fill(stack.passwords[person] ?? '');
  if (shot) await page.screenshot({ path: join(shots, shot) });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === stack.uiUrl && !url.pathname.startsWith('/auth'));
  return page;
}

/** The Data Current Details give for the decide Update. */
async function dataToSend(page: Page, id: string, shot?: string): Promise<Record<string, string>> {
  await page.goto(`${stack.uiUrl}/namespaces/default/workflows/${id}`);
  await page.getByText('User Metadata').first().click();
  const { text } = await currentDetails(page, 'angemeldet als Sie selbst');
  if (shot) await page.screenshot({ path: join(shots, shot), fullPage: true });
  const json = /\{"decision":"approve"[^}]*\}/.exec(text)?.[0];
  expect(json).toBeDefined();
  return JSON.parse(json ?? '{}') as Record<string, string>;
}

describe('deciding with the company login', () => {
  it('approves with the plain Data from Current Details: published, recorded with the verified person', async () => {
    const handle = await env.start();
    await env.awaitApproval(handle);
    const page = await signedIn('jonas.weber', 'login-1-sign-in.png');
    await page.goto(`${stack.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(INBOX_QUERY)}`);
    await page.getByText(handle.workflowId).first().waitFor();
    await page.screenshot({ path: join(shots, 'login-2-inbox.png') });
    const data = await dataToSend(page, handle.workflowId, 'login-3-details.png');
    expect(Object.keys(data)).toEqual(['decision', 'campaignId', 'runId', 'planHash', 'contentHash', 'envelope']);
    expect(data.envelope).toBe('dsse');
    await sendDecide(page, data, { beforeSubmit: () => page.screenshot({ path: join(shots, 'login-4-dialog.png') }) });
    const result = (await handle.result()) as CampaignResult;
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber'] });
    const approval = result.audit.find((e) => e.step === 'approval');
    expect(approval?.actor.establishedBy).toMatch(
      /^login at http:\/\/localhost:\d+ \(subject jonas\.weber\), stamped by login service key ed25519:[0-9a-f]{16}/,
    );
    // The auditor's tools check the stamp against the provider's logins and the trusted login service keys, live
    // and in an evidence pack.
    const auditor = {
      ...env.cliEnv(),
      CAMPAIGN_OIDC_ISSUER: stack.issuer,
      CAMPAIGN_CODEC_KEYS: KEYS,
      CAMPAIGN_CODEC_KEY_FILE: '',
    };
    const verified = await runCli(['audit', 'verify', handle.workflowId], auditor);
    expect(verified.stdout).toMatch(/^campaign .*: VERIFIED\n/);
    expect(verified.stdout).toContain("1 of 1 recorded decisions signed (1 stamped for the approver's login)");
    const pack = join(mkdtempSync(join(tmpdir(), 'login-pack-')), 'pack');
    expect((await runCli(['audit', 'export', handle.workflowId, '--out', pack], auditor)).code).toBe(0);
    const packVerified = await runCli(['audit', 'verify', pack], { ...auditor, CAMPAIGN_OIDC_ISSUER: '' });
    expect(packVerified.stdout).toMatch(/: VERIFIED\n/);
    // The login service's stamp is a DSSE envelope of an in-toto statement: any verifier checks it with its key.
    expect(((approval?.detail ?? {}) as { attestation?: { envelope?: string } }).attestation?.envelope).toBe('dsse');
    const [stamped] = readdirSync(join(pack, 'decisions')).filter((f) => f.endsWith('.dsse.json'));
    const envelope = JSON.parse(readFileSync(join(pack, 'decisions', stamped ?? ''), 'utf8'));
    const payload = Buffer.from(envelope.payload, 'base64');
    const pae = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${payload.length} `), payload]);
    const key = createPublicKey(
      readFileSync(join(pack, 'decisions', (stamped ?? '').replace('.dsse.json', '.pub.pem'))),
    );
    expect(verify(null, pae, key, Buffer.from(envelope.signatures[0].sig, 'base64'))).toBe(true);
    expect(JSON.parse(payload.toString())).toMatchObject({
      predicateType: 'https://governed-campaigns.dev/login-decision/v1',
      subject: [{ digest: { sha256: data.contentHash } }],
      predicate: { approver: 'jonas.weber', login: { subject: 'jonas.weber' } },
    });
    await page.goto(`${stack.uiUrl}/namespaces/default/workflows/${handle.workflowId}`);
    await page.getByText('User Metadata').first().click();
    await currentDetails(page, 'Ergebnis: veröffentlicht');
    await page.screenshot({ path: join(shots, 'login-6-published.png'), fullPage: true });
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
    await lena
      .getByText('lena.vogel hat diese Kampagne beauftragt und darf nicht darüber entscheiden')
      .first()
      .waitFor();
    await lena.screenshot({ path: join(shots, 'login-5-refused.png') });
    await lena.close();
    // jonas, with Data that names miriam (the compliance officer): recorded as jonas, the login.
    const jonas = await signedIn('jonas.weber');
    await sendDecide(jonas, { ...(await dataToSend(jonas, handle.workflowId)), approver: 'miriam.koch' });
    await waitUntil(async () => (await approvedBy(handle)).length === 1);
    expect(await approvedBy(handle)).toEqual(['jonas.weber']);
    // jonas again: one person is one approval.
    await sendDecide(jonas, await dataToSend(jonas, handle.workflowId));
    await jonas.getByText('jonas.weber hat diesen Inhalt bereits freigegeben').first().waitFor();
    await jonas.close();
    const miriam = await signedIn('miriam.koch');
    await sendDecide(miriam, await dataToSend(miriam, handle.workflowId));
    const result = (await handle.result()) as CampaignResult;
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber', 'miriam.koch'] });
    await miriam.close();
  });
});

describe('what a login proves, and what it does not', () => {
  it('refuses a decision sent straight to Temporal without a stamp or a signature, and a stamp copied to another campaign', async () => {
    const first = await env.start();
    await env.awaitApproval(first);
    const jonas = await signedIn('jonas.weber');
    await sendDecide(jonas, await dataToSend(jonas, first.workflowId));
    await first.result();
    const { runId } = await first.describe();
    const [stamped] = await env.store.decisions.ofRun(first.workflowId, runId, 'approval');
    expect(stamped?.decision.attestation).toBeDefined();

    const second = await env.start();
    const contentHash = await env.awaitApproval(second);
    const refusal = (decision: unknown) =>
      second.executeUpdate('decide', { args: [decision] }).then(
        () => 'accepted',
        (err: Error) => (err.cause instanceof Error ? err.cause.message : err.message),
      );
    // With the Temporal CLI or client, past the login: nothing proves who decided.
    expect(
      await refusal({ decision: 'approve', approver: 'jonas.weber', contentHash, decidedAt: new Date().toISOString() }),
    ).toMatch(/^decision\.signature: required for this campaign/);
    // jonas's genuine stamp, for the first campaign, sent to the second (same content).
    expect(await refusal(stamped?.decision)).toBe(
      `decision.campaignId: made for campaign ${first.workflowId}, not this one`,
    );
    // Pointed at the second campaign without a new stamp: the stamp no longer covers it.
    const retargeted = { ...stamped?.decision, campaignId: second.workflowId };
    expect(await refusal(retargeted)).toMatch(
      /^decision\.attestation: does not verify for jonas\.weber on this campaign/,
    );
    await jonas.close();
    await second.terminate('test done');
  });

  it('lets the codec serve only a roster person with a valid ID token of the provider (none, forged, expired, another issuer), for its namespace', async () => {
    const page = await signedIn('sara.yilmaz');
    // The UI keeps the login's tokens in local storage once it has loaded.
    let idToken = '';
    for (let i = 0; i < 50 && !idToken; i++) {
      idToken = await page.evaluate(() => {
        const raw =
          (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(
            'AuthUser',
          ) ?? '{}';
        return (JSON.parse(raw) as { idToken?: string }).idToken ?? '';
      });
      if (!idToken) await page.waitForTimeout(200);
    }
    await page.close();
    expect(idToken.split('.')).toHaveLength(3);
    // The codec's own certificate is the one to trust, as a browser told to trust it would.
    const ca = readFileSync(stack.certFile, 'utf8');
    const decode = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: { message?: string } }>((done, fail) => {
        const req = request(
          `${stack.codecUrl}/decode`,
          { method: 'POST', ca, headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers } },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => {
              text += chunk.toString();
            });
            res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) as { message?: string } }));
          },
        );
        req.on('error', fail);
        req.end(JSON.stringify({ payloads: [] }));
      });
    expect((await decode({ 'authorization-extras': idToken })).status).toBe(200);
    // A valid login, for a namespace the codec server is not there for.
    expect(await decode({ 'authorization-extras': idToken, 'x-namespace': 'payments' })).toEqual({
      status: 403,
      body: { message: 'this codec server serves the namespace default only (X-Namespace)' },
    });
    expect(await decode({})).toEqual({ status: 401, body: { message: 'sign in: no ID token came with the request' } });
    const [head, body, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const asMiriam = Buffer.from(JSON.stringify({ ...claims, sub: 'miriam.koch' })).toString('base64url');
    expect(await decode({ 'authorization-extras': `${head}.${asMiriam}.${signature}` })).toEqual({
      status: 401,
      body: { message: 'the ID token does not verify (ERR_JWS_SIGNATURE_VERIFICATION_FAILED): sign in again' },
    });
    // The same token two hours on: expired.
    const later = createLoginGate({
      issuer: stack.issuer,
      clientIds: [stack.clientId],
      people: () => env.deps().data.roster().people,
      secretKeyHex: '11'.repeat(32),
      now: () => new Date(Date.now() + 2 * 3600_000),
    });
    expect(await later.authenticate({ 'authorization-extras': idToken })).toEqual({
      refusal: 'the ID token does not verify (ERR_JWT_EXPIRED): sign in again',
    });
    // Another provider's genuine token, for the same client id and the same subject: not the company's login.
    const foreign = await tokenFromAnotherProvider('sara.yilmaz');
    expect(JSON.parse(Buffer.from(foreign.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({
      sub: 'sara.yilmaz',
      aud: stack.clientId,
    });
    expect(await decode({ 'authorization-extras': foreign })).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/^the ID token does not verify \(ERR_JW[A-Z_]+\): sign in again$/) },
    });
  });
});

describe('starting from the UI, signed in', () => {
  it('records the signed-in person as requester, whoever the input names; the stamp is worth nothing on another id or brief', async () => {
    const id = `ui-start-${Math.random().toString(36).slice(2, 8)}`;
    const lena = await signedIn('lena.vogel');
    await startFromUi(lena, id, { campaignId: id, brief: GOOD_BRIEF, requestedBy: 'paul.richter' });
    const handle = env.client.workflow.getHandle(id);
    await env.awaitApproval(handle);
    const state = await handle.query(campaignStateQuery);
    expect(state.requestedBy).toBe('lena.vogel');
    expect(state.plan?.requester).toEqual({ id: 'lena.vogel', verified: true });
    expect(await env.store.bindings.of(id)).toMatchObject({ requestedBy: 'lena.vogel', briefHash: hashOf(GOOD_BRIEF) });
    // Without the Workflow ID in the input there is nothing to stamp it for: refused as an unsigned start, in words.
    const unbound = `${id}-unbound`;
    await startFromUi(lena, unbound, { brief: GOOD_BRIEF });
    await expect(failureOf(unbound)).resolves.toMatch(
      new RegExp(`^the start of ${unbound} is not signed by lena\\.vogel: .*"campaignId": <the Workflow ID>`),
    );
    await lena.close();

    // Someone with the codec key reads the stamped input from the history and reuses it.
    const stamped = await startInput(id);
    expect(stamped.start).toHaveProperty('attestation');
    const reuse = async (workflowId: string, input: unknown) => {
      await env.client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, { args: [input], workflowId, taskQueue: env.taskQueue });
      return failureOf(workflowId);
    };
    expect(await reuse(`${id}-copy`, stamped)).toBe(
      `the start of ${id}-copy does not verify for lena.vogel's login (another brief, another id, or altered)`,
    );
    // The stamp names lena's login; claiming it for paul is another login.
    expect(await reuse(`${id}-paul`, { ...stamped, requestedBy: 'paul.richter' })).toBe(
      `the start of ${id}-paul is stamped for another login than paul.richter's`,
    );
    // On its own id once the campaign is gone: with another brief it does not verify; as it was, the id is taken.
    const { runId } = await handle.describe();
    await handle.terminate('an insider ends it and starts it again');
    const edited = { ...stamped, brief: { ...GOOD_BRIEF, campaign: 'Ungeprüft: 50% billiger' } };
    expect(await reuse(id, edited)).toBe(
      `the start of ${id} does not verify for lena.vogel's login (another brief, another id, or altered)`,
    );
    expect(await reuse(id, stamped)).toMatch(new RegExp(`^campaign ${id} is run ${runId}; run .* is another campaign`));
  });
});

describe('the CLI, signed in with the same login', () => {
  it('signs in with campaign login in the browser, then starts and approves from a terminal with no key, stamped as the login', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-login-'));
    const as = (person: string) => ({
      CAMPAIGN_OIDC_ISSUER: stack.issuer,
      CAMPAIGN_CODEC_URL: stack.codecUrl,
      CAMPAIGN_CODEC_CA_FILE: stack.certFile,
      CAMPAIGN_LOGIN_SESSION_FILE: join(dir, `${person}.json`),
      // No signing keys and no payload key on this machine: the login is all it has.
      CAMPAIGN_KEY_DIR: join(dir, 'keys'),
      CAMPAIGN_TASK_QUEUE: env.taskQueue,
    });
    const signIn = async (person: string) => {
      let url = '';
      const login = startCli(['login'], as(person), (out) => {
        url = /https?:\/\/\S+/.exec(out)?.[0] ?? url;
      });
      while (!url) await new Promise((r) => setTimeout(r, 100));
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      await page.getByLabel('Login').fill(person);
      await page.getByLabel('Password').fill(stack.passwords[person] ?? '');
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The provider asks whether the CLI may act as this person (a native client always is).
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByText('Signed in. You can close this tab').waitFor();
      await page.close();
      return login.done;
    };
    const lena = await signIn('lena.vogel');
    expect(lena).toMatchObject({ code: 0, stderr: '' });
    expect(lena.stdout).toMatch(/^signed in as lena\.vogel at http:\/\/localhost:\d+ until \d{4}-/m);

    const id = `cli-login-${Math.random().toString(36).slice(2, 8)}`;
    const started = await runCli(
      ['start', 'examples/briefs/green-tariff-launch.yaml', '--id', id, '--requested-by', 'paul.richter'],
      as('lena.vogel'),
    );
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const handle = env.client.workflow.getHandle(id);
    const contentHash = await env.awaitApproval(handle);
    expect((await handle.query(campaignStateQuery)).plan?.requester).toEqual({ id: 'lena.vogel', verified: true });
    // lena, the requester, from her terminal: refused in words, as in the UI.
    const selfApproval = await runCli(['approve', id, '--content-hash', contentHash], as('lena.vogel'));
    expect(selfApproval.code).not.toBe(0);
    expect(selfApproval.stderr).toContain(
      'lena.vogel hat diese Kampagne beauftragt und darf nicht darüber entscheiden',
    );

    expect(await signIn('jonas.weber')).toMatchObject({ code: 0 });
    const approved = await runCli(['approve', id, '--content-hash', contentHash], as('jonas.weber'));
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(approved.stdout).toContain(
      `approve recorded for ${id} (1/1 approvals, stamped for your login at ${stack.issuer})`,
    );
    const result = (await handle.result()) as CampaignResult;
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber'] });
    expect(result.audit.find((e) => e.step === 'approval')?.actor.establishedBy).toMatch(
      /^login at .* \(subject jonas\.weber\)/,
    );

    // An hour on, the ID token has expired: the CLI says what to do instead of falling back to anything.
    const session = JSON.parse(readFileSync(join(dir, 'jonas.weber.json'), 'utf8')) as Record<string, string>;
    writeFileSync(join(dir, 'jonas.weber.json'), JSON.stringify({ ...session, expiresAt: '2026-01-01T00:00:00.000Z' }));
    const expired = await runCli(['status', id], as('jonas.weber'));
    expect(expired.code).not.toBe(0);
    expect(expired.stderr).toBe(
      `campaign: your login at ${stack.issuer} expired at 2026-01-01T00:00:00.000Z: run \`npx campaign login\` again (or \`npx campaign logout\` to decide with your key)\n`,
    );
    expect(await runCli(['logout'], as('jonas.weber'))).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^signed out/),
    });
  });
});

/** Starts a campaign with the UI's Start Workflow form, typing `input` as its Data. */
async function startFromUi(page: Page, workflowId: string, input: object): Promise<void> {
  await page.goto(`${stack.uiUrl}/namespaces/default/workflows/start-workflow`);
  await page.locator('#workflowId').fill(workflowId);
  await page.locator('#taskQueue').fill(env.taskQueue);
  await page.locator('#workflowType').fill(CAMPAIGN_WORKFLOW_TYPE);
  await page.getByRole('textbox', { name: 'Data' }).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(JSON.stringify(input));
  await page.keyboard.press('Tab');
  await page.getByTestId('start-workflow-button').click();
  await page.getByText('Workflow started successfully').first().waitFor();
}

/** The message the campaign `workflowId` failed with. */
async function failureOf(workflowId: string): Promise<string> {
  return env.client.workflow
    .getHandle(workflowId)
    .result()
    .then(
      () => 'completed',
      (err: Error) => (err.cause instanceof Error ? err.cause.message : err.message),
    );
}

/** The start input of `workflowId` as Temporal stored it, decoded with the codec key. */
async function startInput(workflowId: string): Promise<Record<string, unknown>> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const [payload] = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  const [decoded] = await codec.decode(payload ? [payload] : []);
  return JSON.parse(Buffer.from(decoded?.data ?? new Uint8Array()).toString()) as Record<string, unknown>;
}

/** An ID token for `person` from a second, unrelated provider, by the authorization code flow in the browser. */
async function tokenFromAnotherProvider(person: string): Promise<string> {
  const port = await freePort();
  const redirect = 'http://127.0.0.1:9/callback';
  const secret = 'another-providers-secret';
  const other = await startLocalOpenIdProvider({
    port,
    accounts: [{ id: person, password: 'pw' }],
    clients: { ui: { clientId: stack.clientId, clientSecret: secret, redirectUris: [redirect] } },
  });
  try {
    const page = await (await browser.newContext()).newPage();
    let code = '';
    await page.route(`${redirect}*`, async (route) => {
      code = new URL(route.request().url()).searchParams.get('code') ?? '';
      await route.fulfill({ status: 200, body: 'ok' });
    });
    const authorize = new URL(`${other.issuer}/auth`);
    for (const [k, v] of Object.entries({
      client_id: stack.clientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: redirect,
      state: 'x',
      nonce: 'y',
    }))
      authorize.searchParams.set(k, v);
    await page.goto(authorize.toString());
    await page.getByLabel('Login').fill(person);
    await page.getByLabel('Password').fill('pw');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitUntil(async () => code !== '');
    await page.close();
    const response = await fetch(`${other.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${stack.clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect }),
    });
    return ((await response.json()) as { id_token: string }).id_token;
  } finally {
    await other.close();
  }
}

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
