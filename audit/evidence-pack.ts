import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { parse, stringify } from 'yaml';
import type { AuditEvent } from '../domain/audit';
import type { Checkpoint } from '../domain/audit-anchor';
import type { TrailCheck } from '../domain/audit-verify';
import { hashOf } from '../domain/hash';
import { type Roster, rosterSchema } from '../domain/knowledge';
import type { OutboxPackage } from '../domain/outbox-package';
import { readTsaRoots } from '../keys/timestamps';
import { APPROVED_CONTENT_FILE, approvedContentFile, decisionEnvelopeFiles } from './decision-envelopes';
import { decodeHistory } from './decode-history';
import { type CampaignEvidence, decisionOf, verifyEvidence } from './evidence';
import { attestationsCheck, type PackSigner, packAttestations } from './pack-attestations';
import { readPackageFile } from './package';
import type { RunReceipts } from './receipt-checks';
import { type TsaRoots, timestampsCheck } from './timestamp-check';

/** What goes into an evidence pack, gathered by the caller from the live system. */
export interface PackContents {
  campaignId: string;
  events: AuditEvent[];
  checkpoint: Checkpoint | null;
  trustedWorkerKeys: Record<string, string>;
  history: temporal.api.history.v1.IHistory | null;
  receipts: RunReceipts | null;
  policyDir: string;
  promptDir: string;
  modelConfigFile: string;
  roster: Roster;
  /** What proves decisions stamped for a login: the provider and the trusted login service keys. */
  login?: { issuer: string | undefined; attesters: Record<string, string> };
  pkg: OutboxPackage | null;
  /** Where the publisher wrote the package, as the exporter knew it: what the publish step's output hash covers. */
  publishedPaths: string[];
  /** The timestamp authority roots the deployment trusts (PEM), carried for auditors as `trust/tsa-roots.pem`. */
  tsaRoots: string[];
  code: { buildId: string; revision: string | null };
}

const MANIFEST = 'manifest.json';

/**
 * Writes an evidence pack to `dir`: the trail and its signed checkpoint, the history (while Temporal still has it),
 * the policies, prompts and model settings with their hashes, the roster with its keys, the approvals, the published
 * package and the code version, and a manifest with the SHA-256 of every file.
 */
export function writeEvidencePack(dir: string, contents: PackContents, signer?: PackSigner): string[] {
  const files: Record<string, string> = {};
  const put = (path: string, text: string) => {
    files[path] = text;
  };
  put('audit/trail.jsonl', contents.events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  if (contents.checkpoint) put('audit/checkpoint.json', `${JSON.stringify(contents.checkpoint, null, 2)}\n`);
  put('trust/worker-keys.yaml', stringify({ keys: contents.trustedWorkerKeys }));
  if (contents.login) put('trust/logins.yaml', stringify(contents.login));
  if (contents.tsaRoots.length) put('trust/tsa-roots.pem', `${contents.tsaRoots.join('\n')}\n`);
  if (contents.history) put('history.json', `${historyToJSON(contents.history)}\n`);
  if (contents.receipts) put('audit/receipts.json', `${JSON.stringify(contents.receipts, null, 2)}\n`);
  const policies = folderTexts(contents.policyDir, '.cedar');
  for (const [name, text] of Object.entries(policies)) put(`policies/${name}`, text);
  const prompts = folderTexts(contents.promptDir, '.md');
  for (const [name, text] of Object.entries(prompts)) put(`prompts/${name}`, text);
  put('config/models.yaml', readFileSync(contents.modelConfigFile, 'utf8'));
  put('roster.yaml', stringify(contents.roster));
  put(
    'hashes.json',
    `${JSON.stringify(
      {
        policySetHash: hashOf(policies),
        promptTemplateHashes: Object.fromEntries(Object.entries(prompts).map(([name, text]) => [name, hashOf(text)])),
      },
      null,
      2,
    )}\n`,
  );
  const approvals = contents.events.flatMap((e) => {
    const decision = decisionOf(e);
    return decision ? [{ seq: e.seq, establishedBy: e.actor.establishedBy, decision }] : [];
  });
  put('approvals.json', `${JSON.stringify(approvals, null, 2)}\n`);
  if (contents.pkg) {
    put('package.json', `${JSON.stringify(contents.pkg, null, 2)}\n`);
    put(APPROVED_CONTENT_FILE, approvedContentFile(contents.pkg.variants));
  }
  const envelopes = decisionEnvelopeFiles(
    contents.campaignId,
    contents.events,
    contents.roster,
    contents.login?.attesters ?? {},
  );
  for (const [path, text] of Object.entries(envelopes)) put(path, text);
  const recordedBuilds = [...new Set(contents.events.flatMap((e) => e.policy?.code?.buildId ?? []))];
  put('code.json', `${JSON.stringify({ exportedBy: contents.code, recordedBuildIds: recordedBuilds }, null, 2)}\n`);
  if (signer) {
    const head = contents.events.at(-1)?.hash ?? '';
    const facts = { events: contents.events.length, head, receipts: contents.receipts, pkg: contents.pkg };
    for (const [path, text] of Object.entries(packAttestations(contents.campaignId, files, facts, signer)))
      put(path, text);
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const manifest = {
    campaignId: contents.campaignId,
    createdAt: new Date().toISOString(),
    publishedPaths: contents.publishedPaths,
    files: Object.fromEntries(Object.entries(files).map(([path, text]) => [path, sha256(text)])),
  };
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return [...Object.keys(files), MANIFEST];
}

/**
 * Verifies an evidence pack offline: no Temporal, no network. Each check says what it covered; worker keys are taken
 * from `trustFile`'s keys when given (the auditor's own copy), else from the pack, which the report says.
 */
export async function verifyEvidencePack(
  dir: string,
  options: {
    trust?: { keys: Record<string, string>; source: string };
    /** The auditor's own timestamp authority roots; else the pack's `trust/tsa-roots.pem`, which the report says. */
    tsaRoots?: TsaRoots;
    codec: PayloadCodec | null;
  },
): Promise<TrailCheck[]> {
  const { trust } = options;
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as {
    campaignId: string;
    publishedPaths?: string[];
    files: Record<string, string>;
  };
  const checks: TrailCheck[] = [manifestCheck(dir, manifest.files)];
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  const has = (path: string) => path in manifest.files;
  const events = read('audit/trail.jsonl')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AuditEvent);
  const packTrust = (parse(read('trust/worker-keys.yaml')) as { keys?: Record<string, string> }).keys ?? {};
  const roster = rosterSchema.safeParse(parse(read('roster.yaml')));
  const evidence: CampaignEvidence = {
    campaignId: manifest.campaignId,
    events,
    checkpoint: has('audit/checkpoint.json') ? (JSON.parse(read('audit/checkpoint.json')) as Checkpoint) : null,
    trustedKeys: trust?.keys ?? packTrust,
    trustSource: trust?.source ?? 'the pack itself (give --trust FILE to use your own copy)',
    pkg: has('package.json') ? readPackageFile(join(dir, 'package.json')) : null,
    publishedPaths: manifest.publishedPaths ?? [],
    roster: roster.success ? roster.data : null,
    ...(has('trust/logins.yaml') ? { login: loginTrustOf(read('trust/logins.yaml')) } : {}),
    receipts: has('audit/receipts.json') ? (JSON.parse(read('audit/receipts.json')) as RunReceipts) : null,
    history: has('history.json')
      ? await decodeHistory(historyFromJSON(JSON.parse(read('history.json'))), options.codec)
      : null,
    noHistory: 'no history in the pack (exported after Temporal deleted it)',
  };
  checks.push(...verifyEvidence(evidence));
  const policies = Object.fromEntries(
    Object.keys(manifest.files)
      .filter((p) => p.startsWith('policies/'))
      .map((p) => [p.slice('policies/'.length), read(p)]),
  );
  const policySetHash = hashOf(policies);
  const recorded = [...new Set(events.flatMap((e) => e.policy?.policySetHash ?? []))];
  checks.push({
    name: 'policies',
    ok: recorded.every((h) => h === policySetHash),
    detail: recorded.every((h) => h === policySetHash)
      ? `the ${Object.keys(policies).length} policy files hash to ${policySetHash.slice(0, 12)}…, the set every decision recorded`
      : `the policy files hash to ${policySetHash.slice(0, 12)}…, but decisions recorded ${recorded.map((h) => h.slice(0, 12)).join(', ')}`,
  });
  const promptHashes = new Set(
    Object.keys(manifest.files)
      .filter((p) => p.startsWith('prompts/'))
      .map((p) => hashOf(read(p))),
  );
  const unknownPrompt = events.find((e) => e.model && !promptHashes.has(e.model.promptTemplateHash));
  checks.push({
    name: 'prompts',
    ok: !unknownPrompt,
    detail: unknownPrompt
      ? `event ${unknownPrompt.seq} used a prompt template that is not in the pack`
      : `every model call's prompt template is in the pack (${promptHashes.size} templates)`,
  });
  checks.push(derivedFilesCheck(read, events, policySetHash, promptHashes));
  checks.push(attestationsCheck(manifest.files, read, evidence.trustedKeys));
  checks.push(envelopesCheck(Object.keys(manifest.files), read, evidence));
  if (evidence.pkg) {
    const roots =
      options.tsaRoots ??
      (has('trust/tsa-roots.pem')
        ? { pems: readTsaRoots(join(dir, 'trust/tsa-roots.pem')), source: "the pack's trust/tsa-roots.pem" }
        : { pems: [], source: 'none in the pack, and CAMPAIGN_TSA_ROOTS is not set' });
    checks.push(await timestampsCheck(evidence.pkg, roots));
  }
  return checks;
}

/**
 * The decisions' DSSE envelopes and the approved content file must be exactly what the trail and the package give:
 * they are there for standard tools, and hold nothing of their own. A pack exported before them has none.
 */
function envelopesCheck(paths: string[], read: (path: string) => string, evidence: CampaignEvidence): TrailCheck {
  const expected: Record<string, string> = {
    ...decisionEnvelopeFiles(
      evidence.campaignId,
      evidence.events,
      evidence.roster ?? { people: [] },
      evidence.login?.attesters ?? {},
    ),
    ...(evidence.pkg ? { [APPROVED_CONTENT_FILE]: approvedContentFile(evidence.pkg.variants) } : {}),
  };
  const present = paths.filter((p) => p.startsWith('decisions/') || p === APPROVED_CONTENT_FILE);
  if (present.length === 0)
    return { name: 'envelopes', ok: true, detail: 'none in the pack (exported before decisions had envelopes)' };
  for (const path of new Set([...present, ...Object.keys(expected)])) {
    if (!present.includes(path)) return { name: 'envelopes', ok: false, detail: `${path} is missing` };
    if (read(path) !== expected[path])
      return { name: 'envelopes', ok: false, detail: `${path} is not what the trail and the package give` };
  }
  const decisions = present.filter((p) => p.endsWith('.dsse.json')).length;
  return {
    name: 'envelopes',
    ok: true,
    detail: `${decisions} decision(s) in DSSE envelopes, each as the trail records it, and the approved content as the bytes its hash covers`,
  };
}

/**
 * The pack's summary files must say what the evidence says: the approvals are those of the trail, the hashes those of
 * the files, the build ids those the decisions recorded. The model settings file is carried for reference only:
 * nothing in the trail vouches for it, and the check says so.
 */
function derivedFilesCheck(
  read: (path: string) => string,
  events: AuditEvent[],
  policySetHash: string,
  promptHashes: Set<string>,
): TrailCheck {
  const approvals = events.flatMap((e) => {
    const decision = decisionOf(e);
    return decision ? [{ seq: e.seq, establishedBy: e.actor.establishedBy, decision }] : [];
  });
  if (hashOf(JSON.parse(read('approvals.json'))) !== hashOf(approvals)) {
    return { name: 'summaries', ok: false, detail: 'approvals.json does not list the decisions the trail records' };
  }
  const hashes = JSON.parse(read('hashes.json')) as {
    policySetHash: string;
    promptTemplateHashes: Record<string, string>;
  };
  if (
    hashes.policySetHash !== policySetHash ||
    !Object.values(hashes.promptTemplateHashes).every((h) => promptHashes.has(h))
  ) {
    return { name: 'summaries', ok: false, detail: 'hashes.json does not match the policy and prompt files' };
  }
  const code = JSON.parse(read('code.json')) as { recordedBuildIds: string[] };
  const recorded = [...new Set(events.flatMap((e) => e.policy?.code?.buildId ?? []))];
  if (hashOf([...code.recordedBuildIds].sort()) !== hashOf([...recorded].sort())) {
    return { name: 'summaries', ok: false, detail: 'code.json does not list the build ids the decisions recorded' };
  }
  return {
    name: 'summaries',
    ok: true,
    detail: `approvals.json, hashes.json and code.json agree with the evidence (build ${recorded.join(', ') || 'unrecorded'}); config/models.yaml is for reference, nothing recorded vouches for it`,
  };
}

function manifestCheck(dir: string, files: Record<string, string>): TrailCheck {
  for (const [path, hash] of Object.entries(files)) {
    let text: string;
    try {
      text = readFileSync(join(dir, path), 'utf8');
    } catch {
      return { name: 'manifest', ok: false, detail: `${path} is missing` };
    }
    if (sha256(text) !== hash) return { name: 'manifest', ok: false, detail: `${path} was changed after export` };
  }
  const extra = listFiles(dir).find((p) => p !== MANIFEST && !(p in files));
  if (extra) return { name: 'manifest', ok: false, detail: `${extra} is not part of the pack` };
  return { name: 'manifest', ok: true, detail: `${Object.keys(files).length} files, each as exported` };
}

function folderTexts(dir: string, extension: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith(extension))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path)];
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The pack's copy of the login trust: the provider's issuer and the login service keys (a pack's own claim, as its worker keys are). */
function loginTrustOf(text: string): { issuer: string | undefined; attesters: Record<string, string> } {
  const raw = (parse(text) ?? {}) as { issuer?: unknown; attesters?: unknown };
  const attesters =
    raw.attesters && typeof raw.attesters === 'object'
      ? Object.fromEntries(Object.entries(raw.attesters).filter(([, v]) => typeof v === 'string'))
      : {};
  return {
    issuer: typeof raw.issuer === 'string' ? raw.issuer : undefined,
    attesters: attesters as Record<string, string>,
  };
}
