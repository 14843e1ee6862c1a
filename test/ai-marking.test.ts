import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COSIGN, ensureBinary } from '../devserver/binaries';
import type { DsseEnvelope } from '../keys/dsse';
import { readTrustFile } from '../keys/worker-keys';
import { CampaignEnv } from './support/campaign-env';
import { runCli } from './support/run-cli';

// The machine-readable AI marking of published copy (EU AI Act Art. 50(2)): each variant's in-toto statement in a DSSE
// envelope, signed by the publishing worker's key, checked offline with the standard envelope and with our verifier.
let env: CampaignEnv;
let packageFile: string;
let campaignId: string;
let pkg: {
  variants: { id: string; headline: string; body: string }[];
  aiContent: { marking: string; signed: Record<string, DsseEnvelope> };
  approval: { contentHash: string };
};
const cli = () => ({ ...env.cliEnv(), TEMPORAL_ADDRESS: inject('temporalAddress') });

beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorker();
  const handle = await env.start();
  const contentHash = await env.awaitApproval(handle);
  await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash });
  const result = await handle.result();
  if (result.outcome.kind !== 'published') throw new Error('not published');
  packageFile = result.outcome.outboxPath;
  campaignId = handle.workflowId;
  pkg = JSON.parse(readFileSync(packageFile, 'utf8'));
}, 120_000);
afterAll(async () => {
  await env?.close();
});

/** The published package as a tamperer sees it: any field may go or change. */
type Published = { aiContent: { signed?: unknown; marking: string }; language?: string };

/** A copy of the package with `change` applied, as a file for `verify-marking`. */
function altered(change: (copy: typeof pkg) => void): string {
  const copy = JSON.parse(JSON.stringify(pkg)) as typeof pkg;
  change(copy);
  const file = join(mkdtempSync(join(tmpdir(), 'marking-')), 'package.json');
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

describe('the AI marking of published copy', () => {
  it('marks every variant with a signed statement that verifies against the worker key, with any DSSE verifier', async () => {
    expect(Object.keys(pkg.aiContent.signed).sort()).toEqual(pkg.variants.map((v) => v.id).sort());
    expect(pkg.aiContent.marking).toMatch(/KI/);
    const trusted = readTrustFile(join(env.keyDir, 'worker-keys.yaml'));
    for (const variant of pkg.variants) {
      const envelope = pkg.aiContent.signed[variant.id] as DsseEnvelope;
      expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
      // DSSE's pre-authentication encoding, built here from the spec, verified with Node's own Ed25519.
      const payload = Buffer.from(envelope.payload, 'base64');
      const pae = Buffer.concat([
        Buffer.from(`DSSEv1 ${envelope.payloadType.length} ${envelope.payloadType} ${payload.length} `),
        payload,
      ]);
      const [signature] = envelope.signatures;
      const raw = Buffer.from(trusted[signature?.keyid ?? ''] ?? '', 'hex');
      const key = createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
        format: 'der',
        type: 'spki',
      });
      expect(verify(null, pae, key, Buffer.from(signature?.sig ?? '', 'base64'))).toBe(true);
      const statement = JSON.parse(payload.toString());
      expect(statement).toMatchObject({
        _type: 'https://in-toto.io/Statement/v1',
        predicateType: 'https://governed-campaigns.dev/ai-content-marking/v1',
        predicate: {
          aiGenerated: true,
          digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
          notice: pkg.aiContent.marking,
          model: { provider: 'offline' },
          approvals: [{ approver: 'jonas.weber' }],
          timestamp: null,
        },
      });
    }
    const checked = await runCli(['audit', 'verify-marking', packageFile], cli());
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/^AI marking of .*package\.json: VERIFIED/);
    // One line per variant, and the timestamps line.
    expect(checked.stdout.match(/^ {2}ok {3}/gm)).toHaveLength(pkg.variants.length + 1);
    expect(checked.stdout).toMatch(/ok {3}timestamps: none/);
    const verified = await runCli(['audit', 'verify', campaignId], cli());
    expect(verified.stdout).toMatch(/ok {3}marking: \d variant\(s\), each with a signed in-toto statement/);
    // No timestamp authority is configured here: the package says so, and nothing claims otherwise.
    expect(verified.stdout).toMatch(/ok {3}timestamps: none: no RFC 3161 timestamp authority was configured/);
  });

  it.each([
    [
      'an edited statement',
      (p: typeof pkg) => {
        const [first] = p.variants;
        const envelope = p.aiContent.signed[first?.id ?? ''] as DsseEnvelope;
        const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
        statement.predicate.aiGenerated = false;
        envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      },
      /the marking's signature does not verify \(altered, or swapped\)/,
    ],
    [
      'a swapped signature',
      (p: typeof pkg) => {
        const [a, b] = p.variants.map((v) => p.aiContent.signed[v.id] as DsseEnvelope);
        if (a?.signatures[0] && b?.signatures[0]) a.signatures[0].sig = b.signatures[0].sig;
      },
      /the marking's signature does not verify/,
    ],
    [
      'a marking moved to other copy',
      (p: typeof pkg) => {
        const [a, b] = p.variants;
        p.aiContent.signed[a?.id ?? ''] = p.aiContent.signed[b?.id ?? ''] as DsseEnvelope;
      },
      /the marking is for other copy \(its subject digest is not this copy's\)/,
    ],
    [
      'copy edited after marking',
      (p: typeof pkg) => {
        const [first] = p.variants;
        if (first) first.headline = `${first.headline} – jetzt 50% billiger`;
      },
      /the marking is for other copy/,
    ],
    [
      'an unmarked variant',
      (p: typeof pkg) => {
        delete p.aiContent.signed[p.variants[0]?.id ?? ''];
      },
      /no signed marking \(a DSSE envelope of an in-toto statement\)/,
    ],
  ])('rejects %s, naming the variant', async (_label, change, problem) => {
    const run = await runCli(['audit', 'verify-marking', altered(change)], cli());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/: FAILED/);
    expect(run.stdout).toMatch(problem);
  });

  it.each([
    ['its whole machine-readable marking stripped', (p: Published) => delete p.aiContent.signed],
    ['its human-readable notice removed', (p: Published) => (p.aiContent.marking = '')],
    ['a field no other check reads edited', (p: Published) => (p.language = 'en')],
  ])('catches a published package with %s after publishing, in audit verify', async (_label, change) => {
    const original = readFileSync(packageFile, 'utf8');
    const copy = JSON.parse(original);
    change(copy);
    writeFileSync(packageFile, JSON.stringify(copy, null, 2));
    try {
      const run = await runCli(['audit', 'verify', campaignId], cli());
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/FAIL published: package\.json is not the file the publisher wrote/);
    } finally {
      writeFileSync(packageFile, original);
    }
    const again = await runCli(['audit', 'verify', campaignId], cli());
    expect(again.stdout).toMatch(/ok {3}published: package\.json is the file the publisher wrote/);
  });

  it('trusts no key the auditor does not: a marking re-signed by another key is refused', async () => {
    const trust = join(mkdtempSync(join(tmpdir(), 'trust-')), 'worker-keys.yaml');
    writeFileSync(trust, `keys:\n  "ed25519:0000000000000000": "${'00'.repeat(32)}"\n`);
    const run = await runCli(['audit', 'verify-marking', packageFile, '--trust', trust], cli());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/the marking is signed by no trusted key/);
  });
});

describe('the evidence pack as attestations', () => {
  it('signs one in-toto statement per fact in a DSSE envelope that any verifier accepts, and rejects an edit', async () => {
    const pack = join(mkdtempSync(join(tmpdir(), 'attested-')), 'pack');
    const exported = await runCli(['audit', 'export', campaignId, '--out', pack], cli());
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain("attestations: signed with this machine's worker key");
    const names = ['trail', 'receipts', 'approval-1', 'content'];
    const pem = readFileSync(join(pack, 'trust', 'pack-signer.pub.pem'), 'utf8');
    for (const name of names) {
      const envelope = JSON.parse(
        readFileSync(join(pack, 'attestations', `${name}.dsse.json`), 'utf8'),
      ) as DsseEnvelope;
      const payload = Buffer.from(envelope.payload, 'base64');
      const pae = Buffer.concat([
        Buffer.from(`DSSEv1 ${envelope.payloadType.length} ${envelope.payloadType} ${payload.length} `),
        payload,
      ]);
      const sig = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
      expect(verify(null, pae, createPublicKey(pem), sig)).toBe(true);
      const statement = JSON.parse(payload.toString());
      expect(statement.predicateType).toMatch(
        /^https:\/\/governed-campaigns\.dev\/evidence\/(trail|receipts|approval|content)\/v1$/,
      );
      const [subject] = statement.subject;
      const file = readFileSync(join(pack, subject.name));
      expect(createHash('sha256').update(file).digest('hex')).toBe(subject.digest.sha256);
    }
    // Sigstore's cosign, as an auditor would run it: each envelope against the pack's key and the file it names.
    const cosign = (name: string, file: string) =>
      spawnSync(
        ensureBinary(COSIGN),
        [
          'verify-blob-attestation',
          '--key',
          join(pack, 'trust', 'pack-signer.pub.pem'),
          '--insecure-ignore-tlog',
          '--type',
          `https://governed-campaigns.dev/evidence/${name.replace(/-\d+$/, '')}/v1`,
          '--signature',
          join(pack, 'attestations', `${name}.dsse.json`),
          join(pack, file),
        ],
        { encoding: 'utf8' },
      );
    const files: Record<string, string> = {
      trail: 'audit/trail.jsonl',
      receipts: 'audit/receipts.json',
      'approval-1': 'package.json',
      content: 'package.json',
    };
    for (const [name, file] of Object.entries(files)) {
      const run = cosign(name, file);
      expect({ name, status: run.status, said: run.stderr.match(/Verified OK/)?.[0] }).toEqual({
        name,
        status: 0,
        said: 'Verified OK',
      });
    }
    // The approver's own signature, in the standard envelope: cosign checks it with their key from the roster against
    // the approved content, the bytes its content hash is the SHA-256 of.
    const [decisionFile] = readdirSync(join(pack, 'decisions')).filter((f) => f.endsWith('-jonas.weber.dsse.json'));
    expect(decisionFile).toBeDefined();
    const decision = (content: string) =>
      spawnSync(
        ensureBinary(COSIGN),
        [
          'verify-blob-attestation',
          '--key',
          join(pack, 'decisions', (decisionFile ?? '').replace('.dsse.json', '.pub.pem')),
          '--insecure-ignore-tlog',
          '--type',
          'https://governed-campaigns.dev/decision/v1',
          '--signature',
          join(pack, 'decisions', decisionFile ?? ''),
          content,
        ],
        { encoding: 'utf8' },
      );
    const approved = join(pack, 'content', 'variants.json');
    expect(createHash('sha256').update(readFileSync(approved)).digest('hex')).toBe(pkg.approval.contentHash);
    expect(decision(approved).stderr).toContain('Verified OK');
    const otherCopy = join(mkdtempSync(join(tmpdir(), 'other-copy-')), 'variants.json');
    writeFileSync(otherCopy, readFileSync(approved, 'utf8').replace(/"headline":"/, '"headline":"Jetzt: '));
    expect(decision(otherCopy).stderr).toContain('no matching subject digest found');

    const verified = await runCli(['audit', 'verify', pack], cli());
    expect(verified.stdout).toMatch(/: VERIFIED\n/);
    expect(verified.stdout).toMatch(/ok {3}envelopes: 1 decision\(s\) in DSSE envelopes/);
    expect(verified.stdout).toContain(
      'ok   attestations: 4 DSSE envelopes of in-toto statements, each signed by a trusted key over the pack file it names',
    );

    // A forger edits the published copy and rewrites the manifest to match: the attestation no longer names the file.
    const pkgFile = join(pack, 'package.json');
    writeFileSync(
      pkgFile,
      readFileSync(pkgFile, 'utf8').replace('"approvedBy"', '"approvedBy" ').replace(/\n$/, ' \n'),
    );
    const manifestFile = join(pack, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.files['package.json'] = createHash('sha256').update(readFileSync(pkgFile, 'utf8')).digest('hex');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const byCosign = cosign('content', 'package.json');
    expect(byCosign.status).not.toBe(0);
    expect(byCosign.stderr).toContain('no matching subject digest found');
    const edited = await runCli(['audit', 'verify', pack], cli());
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(
      'FAIL attestations: attestations/approval-1.dsse.json: package.json is not the file it attests',
    );
  });
});
