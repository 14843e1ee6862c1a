import type { temporal } from '@temporalio/proto';
import type { AuditEvent } from '../domain/audit';
import type { Checkpoint } from '../domain/audit-anchor';
import { type TrailCheck, verifyTrail } from '../domain/audit-verify';
import type { Decision } from '../domain/decision';
import { identityRefusal, proofOf, rosterTrust } from '../domain/decision-identity';
import { hashOf } from '../domain/hash';
import type { Roster } from '../domain/knowledge';
import type { OutboxPackage } from '../domain/outbox-package';
import type { Published } from '../domain/step-inputs';
import { STEPS } from '../domain/steps';
import { activityCompletions, compareHistoryWithTrail } from './history-audit';
import { markingCheck } from './marking-check';
import { anchorsCheck, claimsCheck, type RunReceipts, receiptsCheck } from './receipt-checks';

/** Everything that vouches for one campaign, wherever it came from (the live store, or an evidence pack). */
export interface CampaignEvidence {
  campaignId: string;
  events: AuditEvent[];
  checkpoint: Checkpoint | null;
  trustedKeys: Record<string, string>;
  /** Where the trusted worker keys came from, said in the report. */
  trustSource: string;
  pkg: OutboxPackage | null;
  /** Where the publisher is said to have written the package (the outbox path read, or the pack's record of it). */
  publishedPaths?: string[];
  roster: Roster | null;
  /** People's logins: the deployment's issuer and the login service keys trusted to stamp decisions. */
  login?: { issuer: string | undefined; attesters: Record<string, string> };
  /** The run's receipts, for campaigns since the receipts (null: the campaign ran before them). */
  receipts: RunReceipts | null;
  /** The run's Temporal history, decrypted; null with the reason when there is none to compare. */
  history: temporal.api.history.v1.IHistory | null;
  noHistory?: string;
}

const NO_LOGINS = { issuer: undefined, attesters: {} };

/** The checks every verification runs: the trail and its anchors, the signed decisions, and the package. */
export function verifyEvidence(evidence: CampaignEvidence): TrailCheck[] {
  const { campaignId, events, pkg } = evidence;
  const trail = verifyTrail(events, {
    campaignId,
    checkpoint: evidence.checkpoint,
    trustedKeys: evidence.trustedKeys,
    seal: pkg?.seal ?? null,
  });
  const checks = trail.checks.map((c) =>
    c.name === 'checkpoint' ? { ...c, detail: `${c.detail} (worker keys from ${evidence.trustSource})` } : c,
  );
  checks.push(decisionsCheck(evidence));
  if (pkg)
    checks.push(
      packageCheck(evidence, pkg),
      publishedFileCheck(evidence, pkg),
      markingCheck(pkg, evidence.trustedKeys),
    );
  const { history } = evidence;
  if (evidence.receipts) {
    const { check, trusted } = receiptsCheck(campaignId, evidence.receipts, evidence.trustedKeys);
    checks.push(check, claimsCheck(events, trusted));
    if (history) checks.push(anchorsCheck(history, evidence.receipts.receipts, pkg));
  } else {
    checks.push({ name: 'receipts', ok: true, detail: 'the campaign ran before receipts: its trail is its evidence' });
  }
  if (history) {
    const mismatch = compareHistoryWithTrail(history, events);
    checks.push({
      name: 'history',
      ok: mismatch === null,
      detail: mismatch
        ? `history event ${mismatch.historyEvent ?? '-'} / audit event ${mismatch.auditEvent ?? '-'}: ${mismatch.problem}`
        : 'every activity input and result, and every decision, in the history matches the trail',
    });
  } else {
    checks.push({ name: 'history', ok: true, detail: `not compared: ${evidence.noHistory ?? 'no history'}` });
  }
  return checks;
}

/** A decision as its approver signed it, rebuilt from the audit event that recorded it. */
export function decisionOf(event: AuditEvent): Decision | null {
  if (event.step !== 'approval' || event.outcome !== 'ok') return null;
  const detail = (event.detail ?? {}) as {
    contentHash?: string;
    note?: string;
    decidedAt?: string;
    runId?: string;
    planHash?: string;
    signature?: Decision['signature'];
    attestation?: Decision['attestation'];
  };
  const base = {
    approver: event.actor.id,
    contentHash: detail.contentHash ?? '',
    ...(detail.decidedAt ? { decidedAt: detail.decidedAt } : {}),
    ...(detail.runId !== undefined ? { runId: detail.runId, planHash: detail.planHash } : {}),
    ...(detail.signature ? { signature: detail.signature } : {}),
    ...(detail.attestation ? { attestation: detail.attestation } : {}),
  };
  switch (event.action) {
    case 'approve':
      return { decision: 'approve', ...base, ...(detail.note ? { comment: detail.note } : {}) };
    case 'reject':
      return { decision: 'reject', ...base, reason: detail.note ?? '' };
    case 'request-changes':
      return { decision: 'request-changes', ...base, feedback: detail.note ?? '' };
    default:
      return null;
  }
}

function decisionsCheck({ campaignId, events, roster, login }: CampaignEvidence): TrailCheck {
  const decisions = events.flatMap((e) => {
    const decision = decisionOf(e);
    return decision ? [{ seq: e.seq, decision }] : [];
  });
  const signed = decisions.filter((d) => proofOf(d.decision));
  if (!roster)
    return { name: 'signatures', ok: signed.length === 0, detail: 'no roster to check signed decisions against' };
  const trust = rosterTrust(roster.people, login ?? NO_LOGINS);
  for (const { seq, decision } of signed) {
    const refusal = identityRefusal(campaignId, decision, trust);
    if (refusal) return { name: 'signatures', ok: false, detail: `event ${seq}: ${refusal}` };
  }
  const byLogin = signed.filter((d) => d.decision.attestation).length;
  const how = byLogin > 0 ? ` (${byLogin} stamped for the approver's login)` : '';
  return {
    name: 'signatures',
    ok: true,
    detail: `${signed.length} of ${decisions.length} recorded decisions signed${how}, each verified against the roster's key or login`,
  };
}

function packageCheck({ campaignId, events, roster, login }: CampaignEvidence, pkg: OutboxPackage): TrailCheck {
  const contentHash = hashOf(pkg.variants);
  if (contentHash !== pkg.approval.contentHash || contentHash !== pkg.seal.contentHash) {
    return { name: 'package', ok: false, detail: 'the published variants do not hash to the approved content hash' };
  }
  if (pkg.seal.workflowId !== campaignId)
    return { name: 'package', ok: false, detail: `the package is sealed for ${pkg.seal.workflowId}` };
  const trust = rosterTrust(roster?.people ?? [], login ?? NO_LOGINS);
  const approvals = pkg.approvals ?? [];
  for (const approval of approvals) {
    if (approval.contentHash !== contentHash)
      return { name: 'package', ok: false, detail: `${approval.approver} approved other content` };
    if (proofOf(approval)) {
      const refusal = identityRefusal(campaignId, approval, trust);
      if (refusal) return { name: 'package', ok: false, detail: refusal };
    }
  }
  const audited = new Set(
    events.flatMap((e) =>
      decisionOf(e)?.decision === 'approve' && e.detail?.contentHash === contentHash ? [e.actor.id] : [],
    ),
  );
  const unaudited = approvals.find((a) => !audited.has(a.approver));
  if (unaudited)
    return { name: 'package', ok: false, detail: `${unaudited.approver}'s approval is not in the audit trail` };
  return {
    name: 'package',
    ok: true,
    detail: `variants hash to ${contentHash.slice(0, 12)}…, approved by ${approvals.map((a) => a.approver).join(', ') || 'nobody recorded'}, each approval in the trail`,
  };
}

/**
 * The package file is the one the publisher wrote, as a whole: the publish step's output names the package's hash and
 * its path, and that output's hash is in the trail (which the publisher's signed receipt covers, see `claims`). So an
 * edit anywhere in the file after publishing, a stripped AI marking included, is caught here even where no other line
 * looks at the edited field.
 */
function publishedFileCheck({ events, history, publishedPaths }: CampaignEvidence, pkg: OutboxPackage): TrailCheck {
  const publish = events.find((e) => e.step === 'publish' && e.outcome === 'ok' && e.outputHash);
  if (!publish?.outputHash)
    return { name: 'published', ok: false, detail: 'the trail records no publish step for this package' };
  const packageHash = hashOf(pkg);
  const written = (history ? activityCompletions(history.events ?? []) : [])
    .filter((c) => c.activityType === STEPS.publish.activity)
    .map((c) => (c.result as { output?: Partial<Published> } | undefined)?.output ?? {});
  const stated = written.find((w) => w.packageHash !== undefined && w.packageHash !== packageHash);
  if (stated) {
    return {
      name: 'published',
      ok: false,
      detail: `package.json is not the file the publisher wrote: it hashes to ${packageHash.slice(0, 12)}…, the publisher wrote ${String(stated.packageHash).slice(0, 12)}… (edited after publishing, or its marking stripped)`,
    };
  }
  const paths = [...written.flatMap((w) => w.outboxPath ?? []), ...(publishedPaths ?? [])];
  if (paths.length === 0)
    return { name: 'published', ok: false, detail: 'no record of where the publisher wrote the package to compare' };
  return paths.some((outboxPath) => hashOf({ outboxPath, packageHash }) === publish.outputHash)
    ? {
        name: 'published',
        ok: true,
        detail: `package.json is the file the publisher wrote (hash ${packageHash.slice(0, 12)}…, in the output of trail event ${publish.seq})`,
      }
    : {
        name: 'published',
        ok: false,
        detail: `package.json is not the file the publisher wrote: it does not hash to trail event ${publish.seq}'s output (edited after publishing, or its marking stripped)`,
      };
}
