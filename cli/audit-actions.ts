import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createFileDataStore } from '../activities/data-store';
import { type CampaignEvidence, verifyEvidence } from '../audit/evidence';
import { verifyEvidencePack, writeEvidencePack } from '../audit/evidence-pack';
import { readPackage } from '../audit/package';
import { auditReport, renderAuditReport } from '../audit/report';
import { settings } from '../config/settings';
import type { AuditEvent } from '../domain/audit';
import type { TrailCheck } from '../domain/audit-verify';
import { verifyTrail } from '../domain/audit-verify';
import { KEYRING_FILE } from '../keys/signing-keys';
import { readTrustFile } from '../keys/worker-keys';
import type { GovernanceStore } from '../store/governance-store';
import { withStore } from './context';
import { BAD_INPUT, CliError } from './errors';

/** The options of `campaign audit`. */
export interface AuditOptions {
  format: string;
  out?: string;
  trust?: string;
  json?: boolean;
}

/** The live evidence for a campaign: its stored trail, checkpoint, package and roster, and the trusted worker keys. */
async function liveEvidence(store: GovernanceStore, campaignId: string, trustFile?: string): Promise<CampaignEvidence> {
  const { paths, database } = settings();
  const { events, checkpoint } = await store.trail.read(campaignId);
  if (events.length === 0) throw new CliError(`no audit trail for '${campaignId}' in the governance store`);
  const roster = createFileDataStore(paths.dataDir, { keyringFile: resolve(paths.keyDir, KEYRING_FILE) }).roster();
  return {
    campaignId,
    events,
    checkpoint,
    trustedKeys: readTrustFile(trustFile ?? database.workerKeysFile),
    trustSource: trustFile ?? database.workerKeysFile,
    pkg: readPackage(paths.outboxDir, campaignId),
    roster,
  };
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
    checks = verifyEvidencePack(target, trust);
  } else if (existsSync(target)) {
    what = `trail ${target}`;
    checks = verifyTrail(readTrailFile(target)).checks;
  } else {
    what = `campaign ${target}`;
    checks = verifyEvidence(await withStore((store) => liveEvidence(store, target, opts.trust)));
  }
  const ok = checks.every((c) => c.ok);
  if (opts.json) console.log(JSON.stringify({ target: what, ok, checks }));
  else {
    console.log(`${what}: ${ok ? 'VERIFIED' : 'FAILED'}`);
    for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  }
  if (!ok) process.exitCode = 1;
}

/** A trail file: JSON lines (the store's format) or one JSON array. */
function readTrailFile(path: string): AuditEvent[] {
  const trimmed = readFileSync(path, 'utf8').trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as AuditEvent[];
  return trimmed
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AuditEvent);
}

export async function exportPack(campaignId: string, opts: AuditOptions): Promise<void> {
  if (!opts.out) throw new CliError('--out: required, the folder for the evidence pack', BAD_INPUT);
  const { paths } = settings();
  const evidence = await withStore((store) => liveEvidence(store, campaignId));
  const { cliClient } = await import('./context');
  const { codeVersion } = await import('../worker/code-version');
  // The history, while Temporal still keeps it; the pack is complete without it, and says so.
  const history = await cliClient()
    .then((client) => client.workflow.getHandle(campaignId).fetchHistory())
    .catch(() => null);
  const files = writeEvidencePack(opts.out, {
    campaignId,
    events: evidence.events,
    checkpoint: evidence.checkpoint,
    trustedWorkerKeys: evidence.trustedKeys,
    history,
    policyDir: paths.policyDir,
    promptDir: paths.promptDir,
    modelConfigFile: paths.modelConfigFile,
    roster: evidence.roster ?? { people: [] },
    pkg: evidence.pkg,
    code: codeVersion(),
  });
  console.log(`wrote ${files.length} files to ${opts.out}${history ? '' : ' (no history: Temporal no longer has it)'}`);
  console.log(`  verify it anywhere: npx campaign audit verify ${opts.out} --trust <your copy of worker-keys.yaml>`);
}
