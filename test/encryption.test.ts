import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmCodec } from '../codec/aes-gcm-codec';
import { type RunningCodecServer, startCodecServer } from '../codec/codec-server';
import { loadSettings } from '../config/settings';
import { CHROMIUM_FLAGS, ensureChromium } from '../devserver/chromium';
import { type DevServer, startDevServer } from '../devserver/dev-server';
import { freePort } from '../devserver/free-port';
import { loadCodecKeys } from '../keys/codec-keys';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { runCli } from './support/run-cli';
import { currentDetails, sendDecide, signedByCli } from './support/temporal-ui';

// A dev server of its own with a database file, so the test can read what Temporal stores; the UI decodes through a
// codec server. Two campaigns carry canaries: one with clear payloads (the control), one encrypted.
// The first key is current; the second is an earlier one, still needed to read what was written with it.
const CURRENT = `k2:${randomBytes(32).toString('base64')}`;
const EARLIER = `k1:${randomBytes(32).toString('base64')}`;
const KEYS = `${CURRENT},${EARLIER}`;
const TOKEN = randomBytes(24).toString('hex');
const dbDir = mkdtempSync(join(tmpdir(), 'campaign-db-'));
let server: DevServer;
let codecServer: RunningCodecServer;
let uiUrl: string;
let clear: CampaignEnv;
let encrypted: CampaignEnv;
let browser: Browser;
const codecLog: string[] = [];
/** The encrypted campaign that published, for the auditor's tools. */
let publishedId = '';

beforeAll(async () => {
  const codec = new AesGcmCodec(loadCodecKeys(loadSettings({ CAMPAIGN_CODEC_KEYS: KEYS }).codec) ?? fail());
  const [port, uiPort] = [await freePort(), await freePort()];
  uiUrl = `http://localhost:${uiPort}`;
  codecServer = await startCodecServer({
    codec,
    auth: { token: TOKEN },
    allowedOrigins: [uiUrl],
    log: (line) => codecLog.push(line),
  });
  server = await startDevServer({
    port,
    uiPort,
    dbFilename: join(dbDir, 'temporal.sqlite'),
    uiCodecEndpoint: codecServer.endpoint,
  });
  clear = await CampaignEnv.create({ address: server.address });
  encrypted = await CampaignEnv.create({ address: server.address, codec });
  // Different task queues: the clear worker could not read encrypted tasks.
  await clear.startWorker();
  await encrypted.startWorker();
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_FLAGS });
});
afterAll(async () => {
  await browser?.close();
  await clear?.close();
  await encrypted?.close();
  await server?.stop();
  await codecServer?.close();
});

function fail(): never {
  throw new Error('no keys');
}

/** A brief whose free text carries unique canaries, personal data among them. */
function canaryBrief(tag: string) {
  return {
    ...GOOD_BRIEF,
    campaign: `Herbstaktion CANARY-${tag}-NAME`,
    objective: `Mehr Ökostrom-Wechsel, Kontakt canary-${tag}@example.de, Stichwort CANARY-${tag}-OBJECTIVE`,
    // A message the facts support (they speak of the online switch), so the copy can carry it and be approved.
    keyMessages: [...GOOD_BRIEF.keyMessages, `Wechsel online mit Aktionscode CANARY-${tag}-MESSAGE`],
  };
}

/** How often `needle` occurs in the server's database file and its write-ahead log. */
function occurrences(needle: string): number {
  let count = 0;
  for (const file of readdirSync(dbDir)) {
    const bytes = readFileSync(join(dbDir, file));
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) count++;
  }
  return count;
}

describe('payloads encrypted with the codec', () => {
  it('keeps brief text, personal data, variants and feedback out of the database, and the UI reads them through the codec server', async () => {
    const control = await clear.start(canaryBrief('clear'));
    const secret = await encrypted.start(canaryBrief('secret'));
    await clear.awaitApproval(control);
    const hash = await encrypted.awaitApproval(secret);
    await encrypted.decide(secret, {
      decision: 'request-changes',
      approver: 'jonas.weber',
      contentHash: hash,
      feedback: 'Bitte CANARY-secret-FEEDBACK einbauen',
    });
    const second = await encrypted.awaitApproval(secret, 2);

    // Through the codec server, in a real browser: Current Details decoded, and an approval sent from the UI.
    const page = await browser.newPage({ viewport: { width: 1400, height: 1200 } });
    await page.goto(`${uiUrl}/namespaces/default/workflows/${secret.workflowId}`);
    await page.getByText('User Metadata').first().click();
    const { text } = await currentDetails(page, 'Wartet auf Freigabe · Runde 2');
    expect(text).toContain('CANARY-secret-NAME');
    expect(text).toContain(second);
    // The approver sees their request and, per channel, what changed against it.
    expect(text).toContain('Geändert seit Runde 1, die jonas.weber zurückgeschickt hat mit:');
    expect(text).toContain('Bitte CANARY-secret-FEEDBACK einbauen');
    expect(text).toMatch(
      /Suchanzeige: Überschrift (geändert, vorher „[^“]+“|unverändert); Text (geändert|unverändert)/,
    );
    const approval = await signedByCli(secret.workflowId, 'sara.yilmaz', second, {
      CAMPAIGN_KEY_DIR: encrypted.keyDir,
      CAMPAIGN_CODEC_KEYS: KEYS,
      TEMPORAL_ADDRESS: server.address,
    });
    await sendDecide(page, approval);
    expect((await secret.result()).outcome).toMatchObject({ kind: 'published', approvedBy: ['sara.yilmaz'] });
    publishedId = secret.workflowId;
    await page.close();
    await control.terminate('test done');

    // The control shows the test can see a canary; the encrypted campaign leaves none behind.
    expect(occurrences('CANARY-clear-OBJECTIVE')).toBeGreaterThan(0);
    expect(occurrences('canary-clear@example.de')).toBeGreaterThan(0);
    expect(occurrences('CANARY-clear-MESSAGE')).toBeGreaterThan(0);
    for (const canary of [
      'CANARY-secret-NAME',
      'CANARY-secret-OBJECTIVE',
      'canary-secret@example.de',
      'CANARY-secret-FEEDBACK',
      'CANARY-secret-MESSAGE',
    ]) {
      expect({ canary, found: occurrences(canary) }).toEqual({ canary, found: 0 });
    }
    // The codec server answered the UI and logged no payload, and no token.
    expect(codecLog.some((l) => l.startsWith('POST /<token>/decode 200'))).toBe(true);
    expect(codecLog.join('\n')).not.toContain('CANARY');
    expect(codecLog.join('\n')).not.toContain(TOKEN);
  });

  it('answers only with the token and only the UI origin, and decrypts payloads of an earlier key', async () => {
    const body = JSON.stringify({ payloads: [] });
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${codecServer.url}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
    expect((await post('/decode')).status).toBe(401);
    expect((await post('/wrong-token-wrong-token/decode')).status).toBe(401);
    expect((await post('/decode', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await post(`/${TOKEN}/decode`, { origin: 'http://evil.example' })).status).toBe(403);
    const preflight = await fetch(`${codecServer.endpoint}/decode`, {
      method: 'OPTIONS',
      headers: { origin: uiUrl, 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiUrl);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');

    // Rotation: a payload written under the earlier key still decodes now that another key is current.
    const earlier = new AesGcmCodec(loadCodecKeys(loadSettings({ CAMPAIGN_CODEC_KEYS: EARLIER }).codec) ?? fail());
    const [sealed] = await earlier.encode([
      { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hi"') },
    ]);
    const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');
    const metadata = Object.fromEntries(Object.entries(sealed?.metadata ?? {}).map(([k, v]) => [k, base64(v)]));
    const response = await fetch(`${codecServer.url}/decode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [{ metadata, data: base64(sealed?.data) }] }),
    });
    const { payloads } = (await response.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(payloads[0]?.data ?? '', 'base64').toString()).toBe('"hi"');
  });

  it("lets the auditor's tools read an encrypted campaign with the deployment's keys, and says in one line which key is missing", async () => {
    expect(publishedId).not.toBe('');
    const auditor = { ...encrypted.cliEnv(), TEMPORAL_ADDRESS: server.address, CAMPAIGN_CODEC_KEYS: KEYS };
    const replayed = await runCli(['replay', publishedId], auditor);
    expect(replayed.stderr).toMatch(/; deterministic; consistent with the audit store; seal matches\n/);
    expect(replayed.code).toBe(0);
    const verified = await runCli(['audit', 'verify', publishedId], auditor);
    expect(verified.stdout).toMatch(/^campaign .*: VERIFIED\n/);
    expect(verified.stdout).toMatch(
      /ok {3}history: every activity input and result, and every decision, in the history matches/,
    );
    expect(verified.stdout).toMatch(
      /ok {3}anchors: \d+ receipts named in the Temporal history, each the one stored, and the one the outbox seal names/,
    );

    const pack = mkdtempSync(join(tmpdir(), 'pack-encrypted-'));
    const exported = await runCli(['audit', 'export', publishedId, '--out', pack], auditor);
    expect(exported.stdout).not.toContain('no history');
    // The pack keeps the history as Temporal stores it: encrypted.
    expect(readFileSync(join(pack, 'history.json'), 'utf8')).not.toContain('CANARY-secret');
    const packVerified = await runCli(['audit', 'verify', pack], auditor);
    expect(packVerified.stdout).toMatch(/^evidence pack .*: VERIFIED\n/);
    expect(packVerified.stdout).toMatch(/ok {3}history: every activity input/);
    const fromFile = await runCli(['replay', '--file', join(pack, 'history.json')], auditor);
    expect(fromFile.stderr).toMatch(/deterministic; consistent with the audit store/);
    expect(fromFile.code).toBe(0);

    // No keys, or not the current one: one line each, naming the key, and nothing verified.
    const keyless = { ...auditor, CAMPAIGN_CODEC_KEYS: '', CAMPAIGN_CODEC_KEY_FILE: 'none' };
    for (const args of [
      ['replay', publishedId],
      ['audit', 'verify', publishedId],
      ['audit', 'verify', pack],
    ]) {
      const run = await runCli(args, keyless);
      expect({ args, code: run.code }).toEqual({ args, code: 1 });
      expect(run.stderr).toMatch(
        /^campaign: .*the history is encrypted \(key 'k2'\) and no payload keys are configured here: set CAMPAIGN_CODEC_KEY_FILE or CAMPAIGN_CODEC_KEYS/,
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    const onlyEarlier = await runCli(['audit', 'verify', pack], { ...auditor, CAMPAIGN_CODEC_KEYS: EARLIER });
    expect(onlyEarlier.code).toBe(1);
    expect(onlyEarlier.stderr).toMatch(/^campaign: .*encrypted with key 'k2', which is not configured here/);
  });
});
