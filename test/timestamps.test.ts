import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { folderFor } from '../activities/folders';
import type { OutboxPackage } from '../domain/outbox-package';
import { checkTimestamp } from '../keys/timestamps';
import { CampaignEnv } from './support/campaign-env';
import { startTestTsa, type TestTsa } from './support/openssl-tsa';
import { runCli } from './support/run-cli';

// RFC 3161 timestamps where the deployment configures an authority: OpenSSL's own responder on loopback, and
// `openssl ts -verify` as the auditor's standard tool beside our verifier.
let env: CampaignEnv;
let tsa: TestTsa;
let otherTsa: TestTsa;
let campaignId: string;
let packageFile: string;
let pkg: OutboxPackage;
const cli = (extra: Record<string, string> = {}) => ({
  ...env.cliEnv(),
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  CAMPAIGN_TSA_ROOTS: tsa.rootFile,
  ...extra,
});

beforeAll(async () => {
  [tsa, otherTsa] = await Promise.all([startTestTsa(), startTestTsa()]);
  env = await CampaignEnv.create();
  await env.startWorker({ ...env.deps(), timestamps: { url: tsa.url, roots: [tsa.rootPem] } });
  const handle = await env.start();
  const contentHash = await env.awaitApproval(handle);
  await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash });
  const result = await handle.result();
  if (result.outcome.kind !== 'published') throw new Error('not published');
  campaignId = handle.workflowId;
  packageFile = result.outcome.outboxPath;
  pkg = JSON.parse(readFileSync(packageFile, 'utf8'));
}, 120_000);
afterAll(async () => {
  await env?.close();
  await tsa?.close();
  await otherTsa?.close();
});

/** `openssl ts -verify` of a token (base64 DER) over `data`, against `rootFile`: what it prints. */
function opensslVerify(token: string, data: Buffer, rootFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ts-verify-'));
  writeFileSync(join(dir, 'token.der'), Buffer.from(token, 'base64'));
  writeFileSync(join(dir, 'data.bin'), data);
  try {
    return execFileSync(
      'openssl',
      ['ts', '-verify', '-data', 'data.bin', '-in', 'token.der', '-token_in', '-CAfile', rootFile],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    ).toString();
  } catch (err) {
    return String((err as { stdout?: Buffer }).stdout ?? '') + String((err as { stderr?: Buffer }).stderr ?? '');
  }
}

describe('RFC 3161 timestamps from the configured authority', () => {
  it("time-stamps the run's head and every marking, and openssl ts -verify accepts each token", async () => {
    const stamps = pkg.timestamps;
    expect(stamps?.authority).toBe(tsa.url);
    expect(stamps?.head?.hash).toBe(pkg.seal.receipts?.hash);
    expect(Object.keys(stamps?.variants ?? {}).sort()).toEqual(Object.keys(pkg.aiContent.signed ?? {}).sort());
    expect(tsa.answered()).toBe(1 + Object.keys(pkg.aiContent.signed ?? {}).length);
    const head = stamps?.head;
    expect(opensslVerify(head?.token ?? '', Buffer.from(head?.hash ?? ''), tsa.rootFile)).toMatch(/Verification: OK/);
    for (const [id, envelope] of Object.entries(pkg.aiContent.signed ?? {})) {
      const sig = Buffer.from((envelope as { signatures: { sig: string }[] }).signatures[0]?.sig ?? '', 'base64');
      expect(opensslVerify(stamps?.variants[id]?.token ?? '', sig, tsa.rootFile)).toMatch(/Verification: OK/);
      // The same token is no proof for other bytes, nor under another authority's root.
      expect(opensslVerify(stamps?.variants[id]?.token ?? '', Buffer.from('other'), tsa.rootFile)).toMatch(
        /Verification: FAILED/,
      );
      expect(opensslVerify(stamps?.variants[id]?.token ?? '', sig, otherTsa.rootFile)).toMatch(/Verification: FAILED/);
    }
    const statement = JSON.parse(
      Buffer.from((Object.values(pkg.aiContent.signed ?? {})[0] as { payload: string }).payload, 'base64').toString(),
    );
    expect(statement.predicate.timestamp).toEqual({ rfc3161: tsa.url, over: 'the DSSE signature of this statement' });
  });

  it('audit verify, verify-marking and the evidence pack check the tokens against the roots the deployment trusts', async () => {
    const verified = await runCli(['audit', 'verify', campaignId], cli());
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/ok {3}timestamps: 4 RFC 3161 token\(s\) by Test TSA from .*chained to the roots/);
    const marking = await runCli(['audit', 'verify-marking', packageFile], cli());
    expect(marking.code).toBe(0);
    expect(marking.stdout).toMatch(/ok {3}timestamps: 4 RFC 3161 token/);
    const pack = join(mkdtempSync(join(tmpdir(), 'pack-')), 'pack');
    expect((await runCli(['audit', 'export', campaignId, '--out', pack], cli())).code).toBe(0);
    expect(existsSync(join(pack, 'trust', 'tsa-roots.pem'))).toBe(true);
    // The auditor's machine: no deployment settings, the pack's own roots.
    const offline = await runCli(['audit', 'verify', pack], cli({ CAMPAIGN_TSA_ROOTS: '' }));
    expect(offline.stdout).toMatch(/ok {3}timestamps: .*chained to the roots in the pack's trust\/tsa-roots\.pem/);
    expect(offline.code).toBe(0);
  });

  it('refuses tokens of an authority it does not trust, tokens moved to other bytes, and tokens without roots', async () => {
    const untrusted = await runCli(['audit', 'verify', campaignId], cli({ CAMPAIGN_TSA_ROOTS: otherTsa.rootFile }));
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/FAIL timestamps: the head: .*not issued by a trusted timestamp authority/);
    const noRoots = await runCli(['audit', 'verify', campaignId], cli({ CAMPAIGN_TSA_ROOTS: '' }));
    expect(noRoots.stdout).toMatch(/FAIL timestamps: 4 token\(s\), but no timestamp authority roots/);
    const moved = JSON.parse(JSON.stringify(pkg)) as OutboxPackage;
    const [first, second] = Object.keys(moved.timestamps?.variants ?? {});
    const variants = moved.timestamps?.variants ?? {};
    if (first && second) variants[first] = variants[second] as { genTime: string; token: string };
    const file = join(mkdtempSync(join(tmpdir(), 'moved-')), 'package.json');
    writeFileSync(file, JSON.stringify(moved));
    const run = await runCli(['audit', 'verify-marking', file], cli());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`FAIL timestamps: ${first}'s marking: the timestamp is for other data`));
  });

  it('refuses a token re-signed with another certificate of the same root that is no time-stamping certificate', async () => {
    const stamps = pkg.timestamps;
    const head = stamps?.head;
    const forged = tsa.forgeWithTlsCertificate(head?.token ?? '');
    // The standard tool refuses it too.
    expect(opensslVerify(forged, Buffer.from(head?.hash ?? ''), tsa.rootFile)).toMatch(
      /unsuitable certificate purpose/,
    );
    const checked = await checkTimestamp(forged, Buffer.from(head?.hash ?? ''), [tsa.rootPem]);
    expect(checked).toEqual({
      ok: false,
      problem: "the timestamp's signer certificate is not a time-stamping certificate (RFC 3161)",
    });
    const real = await checkTimestamp(head?.token ?? '', Buffer.from(head?.hash ?? ''), [tsa.rootPem]);
    expect(real).toMatchObject({ ok: true, signer: 'Test TSA' });
  });

  it('publishes nothing while the configured authority does not answer, and says which one', async () => {
    const down = await CampaignEnv.create();
    await down.startWorker({ ...down.deps(), timestamps: { url: 'http://127.0.0.1:9/tsa', roots: [tsa.rootPem] } });
    const handle = await down.start();
    try {
      const contentHash = await down.awaitApproval(handle);
      await down.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash });
      let failure = '';
      for (let i = 0; i < 100 && !failure; i += 1) {
        const { raw } = await handle.describe();
        failure = raw.pendingActivities?.find((a) => a.lastFailure)?.lastFailure?.message ?? '';
        if (!failure) await new Promise((r) => setTimeout(r, 200));
      }
      expect(failure).toMatch(/^timestamp authority http:\/\/127\.0\.0\.1:9\/tsa: unreachable/);
      expect(existsSync(join(down.outboxDir, folderFor(handle.workflowId), 'package.json'))).toBe(false);
    } finally {
      await handle.terminate('test over');
      await down.close();
    }
  });
});
