import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { decodeHistory } from '../audit/decode-history';
import { type CampaignEvidence, verifyEvidence } from '../audit/evidence';
import { verifyEvidencePack, writeEvidencePack } from '../audit/evidence-pack';
import { checkMarkings } from '../audit/marking-check';
import type { PackSigner } from '../audit/pack-attestations';
import { packagePath, readPackage, readPackageFile } from '../audit/package';
import { auditReport, renderAuditReport } from '../audit/report';
import { type TsaRoots, timestampsCheck } from '../audit/timestamp-check';
import { firstLineOf } from '../client/errors';
import { codecFrom } from '../codec/data-converter';
import { settings } from '../config/settings';
import type { AuditEvent } from '../domain/audit';
import type { TrailCheck } from '../domain/audit-verify';
import { verifyTrail } from '../domain/audit-verify';
import { workerSigner } from '../domain/signatures';
import { readTsaRoots } from '../keys/timestamps';
import { readTrustFile } from '../keys/worker-keys';
import type { GovernanceStore } from '../store/governance-store';
import { cliData, cliLoginTrust, withStore } from './context';
import { BAD_INPUT, CliError } from './errors';

/** The options of `campaign audit`. */
export interface AuditOptions {
  format: string;
  out?: string;
  trust?: string;
  json?: boolean;
}

/**
 * The live evidence for a campaign: its own run's stored trail, checkpoint and receipts, its package and roster, the
 * trusted worker keys, and the run's Temporal history while Temporal keeps it, decrypted with this deployment's keys.
 */
async function liveEvidence(
  store: GovernanceStore,
  campaignId: string,
  trustFile?: string,
): Promise<CampaignEvidence & { rawHistory: temporal.api.history.v1.IHistory | null }> {
  const { paths, database } = settings();
  const { runId, events, checkpoint } = await store.trail.read(campaignId);
  if (events.length === 0 || !runId) throw new CliError(`no audit trail for '${campaignId}' in the governance store`);
  const binding = await store.bindings.of(campaignId);
  // The one trust root outside the demo: the roster's own keys.
  const roster = cliData().roster();
  const sinceReceipts = binding !== null && !binding.legacy && binding.runId === runId;
  const { history, noHistory } = await historyOf(campaignId, runId);
  return {
    campaignId,
    events,
    checkpoint,
    trustedKeys: readTrustFile(trustFile ?? database.workerKeysFile),
    trustSource: trustFile ?? database.workerKeysFile,
    pkg: readPackage(paths.outboxDir, campaignId),
    publishedPaths: [packagePath(paths.outboxDir, campaignId)],
    roster,
    // Decisions stamped for a login: the provider roster logins are at, and the login service keys this deployment trusts.
    login: cliLoginTrust(),
    receipts: sinceReceipts ? { runId, receipts: await store.receipts.ofRun(campaignId, runId) } : null,
    history: history ? await readable(history, campaignId) : null,
    rawHistory: history,
    ...(noHistory ? { noHistory } : {}),
  };
}

/** The run's history as Temporal keeps it (encrypted when the workers encrypt), or why there is none. */
async function historyOf(
  campaignId: string,
  runId: string,
): Promise<{ history: temporal.api.history.v1.IHistory | null; noHistory?: string }> {
  const { cliClient } = await import('./context');
  try {
    const client = await cliClient();
    try {
      return { history: await client.workflow.getHandle(campaignId, runId).fetchHistory() };
    } finally {
      await client.connection.close();
    }
  } catch (err) {
    const why =
      err instanceof Error && err.name === 'WorkflowNotFoundError' ? 'Temporal no longer has it' : firstLineOf(err);
    return { history: null, noHistory: `no history of run ${runId} (${why})` };
  }
}

/** A history decrypted with this deployment's payload keys; one line naming what is missing when it cannot be. */
async function readable(
  history: temporal.api.history.v1.IHistory,
  campaignId: string,
): Promise<temporal.api.history.v1.IHistory> {
  try {
    return await decodeHistory(history, codecFrom(settings().codec));
  } catch (err) {
    throw new CliError(`${campaignId}: ${firstLineOf(err)}`, 1, { cause: err });
  }
}

export async function report(campaignId: string, opts: AuditOptions): Promise<void> {
  if (opts.format !== 'md' && opts.format !== 'json')
    throw new CliError(`--format: '${opts.format}' is not md or json`, BAD_INPUT);
  const evidence = await withStore((store) => liveEvidence(store, campaignId, opts.trust));
  const verification = verifyTrail(evidence.events, {
    campaignId,
    checkpoint: evidence.checkpoint,
    trustedKeys: evidence.trustedKeys,
    seal: evidence.pkg?.seal ?? null,
  });
  const data = auditReport(campaignId, evidence.events, verification, evidence.pkg);
  const text = opts.format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : renderAuditReport(data);
  if (opts.out) {
    writeFileSync(opts.out, text);
    process.stderr.write(`wrote ${opts.out}\n`);
  } else process.stdout.write(text);
}

export async function verify(target: string, opts: AuditOptions): Promise<void> {
  const trust = opts.trust ? { keys: readTrustFile(opts.trust), source: opts.trust } : undefined;
  let checks: TrailCheck[];
  let what: string;
  if (existsSync(target) && statSync(target).isDirectory()) {
    what = `evidence pack ${target}`;
    const roots = deploymentTsaRoots();
    checks = await verifyEvidencePack(target, {
      ...(trust ? { trust } : {}),
      ...(roots ? { tsaRoots: roots } : {}),
      codec: codecFrom(settings().codec),
    });
  } else if (existsSync(target)) {
    what = `trail ${target}`;
    checks = verifyTrail(readTrailFile(target)).checks;
  } else {
    what = `campaign ${target}`;
    const evidence = await withStore((store) => liveEvidence(store, target, opts.trust));
    checks = verifyEvidence(evidence);
    if (evidence.pkg) checks.push(await timestampsCheck(evidence.pkg, deploymentTsaRoots() ?? NO_TSA_ROOTS));
  }
  const ok = checks.every((c) => c.ok);
  if (opts.json) console.log(JSON.stringify({ target: what, ok, checks }));
  else {
    console.log(`${what}: ${ok ? 'VERIFIED' : 'FAILED'}`);
    for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  }
  if (!ok) process.exitCode = 1;
}

/** This machine's worker key, to sign a pack's attestations with: a machine that runs workers has one. */
function packSigner(): PackSigner | null {
  const file = settings().database.workerKeyFile;
  if (!existsSync(file)) return null;
  const secret = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) return null;
  const { publicKeyHex, sign } = workerSigner(secret);
  return { publicKeyHex, sign };
}

/**
 * `audit verify-marking PACKAGE`: each published variant's signed AI marking, offline, against the worker keys the
 * auditor trusts. A package is the outbox's `package.json`, or an evidence pack's.
 */
export async function verifyMarking(target: string, opts: AuditOptions): Promise<void> {
  const file = existsSync(target) && statSync(target).isDirectory() ? join(target, 'package.json') : target;
  if (!existsSync(file))
    throw new CliError(`${file}: no such package (the outbox's package.json, or a pack folder)`, BAD_INPUT);
  const pkg = readPackageFile(file);
  if (!pkg) throw new CliError(`${file} is not a published package`, BAD_INPUT);
  const trustSource = opts.trust ?? settings().database.workerKeysFile;
  const results = checkMarkings(pkg, readTrustFile(trustSource));
  const packRoots = join(dirname(file), 'trust', 'tsa-roots.pem');
  const roots =
    deploymentTsaRoots() ??
    (existsSync(packRoots) ? { pems: readTsaRoots(packRoots), source: packRoots } : NO_TSA_ROOTS);
  const timestamps = await timestampsCheck(pkg, roots);
  const ok = results.length > 0 && results.every((r) => r.ok) && timestamps.ok;
  if (opts.json) console.log(JSON.stringify({ target: file, ok, variants: results, timestamps }));
  else {
    console.log(`AI marking of ${file}: ${ok ? 'VERIFIED' : 'FAILED'} (worker keys from ${trustSource})`);
    for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.detail}`);
    console.log(`  ${timestamps.ok ? 'ok  ' : 'FAIL'} ${timestamps.name}: ${timestamps.detail}`);
  }
  if (!ok) process.exitCode = 1;
}

const NO_TSA_ROOTS: TsaRoots = { pems: [], source: 'CAMPAIGN_TSA_ROOTS is not set' };

/** The timestamp authority roots this deployment trusts (`CAMPAIGN_TSA_ROOTS`), when it names them. */
function deploymentTsaRoots(): TsaRoots | null {
  const file = settings().timestamps.rootsFile;
  return file ? { pems: readTsaRoots(file), source: file } : null;
}

/**
 * A trail file: JSON lines (the store's format) or one JSON array. Anything else the tools write is named, with the
 * command that verifies what it came from, rather than failing on its first character.
 */
function readTrailFile(path: string): AuditEvent[] {
  const trimmed = readFileSync(path, 'utf8').trim();
  const whole = parsed(trimmed);
  const report = (whole as { verification?: unknown; steps?: unknown; campaignId?: unknown } | undefined) ?? {};
  if (trimmed.startsWith('# Audit report') || (report.verification && report.steps)) {
    const id = typeof report.campaignId === 'string' ? report.campaignId : 'ID';
    throw new CliError(
      `${path} is an audit report (\`campaign audit ${id}\`): it says what was checked, it is not evidence to check. ` +
        `Verify the campaign (\`npx campaign audit verify ${id}\`) or its evidence pack (\`npx campaign audit export ${id} --out DIR\`, then \`npx campaign audit verify DIR\`)`,
      BAD_INPUT,
    );
  }
  const events = Array.isArray(whole)
    ? whole
    : trimmed
        .split('\n')
        .filter((l) => l.trim())
        .map((line, i) => {
          const event = parsed(line);
          if (event === undefined) {
            throw new CliError(
              `${path}: line ${i + 1} is not JSON: a trail file holds one audit event per line (an evidence pack's audit/trail.jsonl)`,
              BAD_INPUT,
            );
          }
          return event;
        });
  const notEvent = events.findIndex((e) => !e || typeof e !== 'object' || !('seq' in e) || !('hash' in e));
  if (notEvent >= 0) {
    throw new CliError(`${path}: entry ${notEvent + 1} is not an audit event (no seq and hash)`, BAD_INPUT);
  }
  return events as AuditEvent[];
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function exportPack(campaignId: string, opts: AuditOptions): Promise<void> {
  if (!opts.out) throw new CliError('--out: required, the folder for the evidence pack', BAD_INPUT);
  const { paths } = settings();
  const evidence = await withStore((store) => liveEvidence(store, campaignId));
  const { codeVersion } = await import('../worker/code-version');
  // The history as Temporal keeps it (encrypted where the workers encrypt), while it still keeps it.
  const history = evidence.rawHistory;
  const signer = packSigner();
  const files = writeEvidencePack(
    opts.out,
    {
      campaignId,
      events: evidence.events,
      checkpoint: evidence.checkpoint,
      trustedWorkerKeys: evidence.trustedKeys,
      history,
      receipts: evidence.receipts,
      policyDir: paths.policyDir,
      promptDir: paths.promptDir,
      modelConfigFile: paths.modelConfigFile,
      roster: evidence.roster ?? { people: [] },
      ...(evidence.login ? { login: evidence.login } : {}),
      pkg: evidence.pkg,
      publishedPaths: evidence.publishedPaths ?? [],
      tsaRoots: deploymentTsaRoots()?.pems ?? [],
      code: codeVersion(),
    },
    signer ?? undefined,
  );
  console.log(`wrote ${files.length} files to ${opts.out}${history ? '' : ` (${evidence.noHistory})`}`);
  console.log(`  verify it anywhere: npx campaign audit verify ${opts.out} --trust <your copy of worker-keys.yaml>`);
  console.log(
    signer
      ? `  attestations: signed with this machine's worker key (${join(opts.out, 'trust', 'pack-signer.pub.pem')} for cosign)`
      : `  attestations: none (no worker key on this machine at ${settings().database.workerKeyFile} to sign them with)`,
  );
}
