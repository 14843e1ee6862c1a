import type { temporal } from '@temporalio/proto';
import type { AuditEvent } from '../domain/audit';
import type { TrailCheck } from '../domain/audit-verify';
import type { OutboxPackage } from '../domain/outbox-package';
import { checkReceiptChain, type Receipt, type ReceiptRef } from '../domain/receipt';
import { STEPS, type StepName } from '../domain/steps';
import { activityCompletions } from './history-audit';

/** The receipts the worker side made for a campaign's run, as the auditor reads them. */
export interface RunReceipts {
  runId: string;
  receipts: Receipt[];
}

/** The receipts themselves: each sealed, signed by a trusted worker key, chained without a gap, the run's own. */
export function receiptsCheck(
  campaignId: string,
  run: RunReceipts,
  trustedKeys: Record<string, string>,
): { check: TrailCheck; trusted: Receipt[] } {
  const { receipts, problems } = checkReceiptChain(run.receipts, trustedKeys, campaignId, run.runId);
  if (problems.length > 0 || receipts.length === 0) {
    return {
      check: { name: 'receipts', ok: false, detail: problems[0] ?? `run ${run.runId} has no receipts` },
      trusted: receipts,
    };
  }
  return {
    check: {
      name: 'receipts',
      ok: true,
      detail: `${receipts.length} receipts of run ${run.runId}, each signed by a trusted worker key, chained`,
    },
    trusted: receipts,
  };
}

/**
 * The receipts are the ones Temporal saw: every governed result in the run's history names its receipt (number and
 * hash), and the store must hold exactly that receipt. A store rewritten and re-signed with a worker's key no longer
 * matches the history, which neither a worker nor a database administrator can rewrite.
 */
export function anchorsCheck(
  history: temporal.api.history.v1.IHistory,
  receipts: readonly Receipt[],
  pkg: OutboxPackage | null,
): TrailCheck {
  let anchored = 0;
  for (const completion of activityCompletions(history.events ?? [])) {
    const ref = (completion.result as { receipt?: ReceiptRef } | undefined)?.receipt;
    if (!ref) continue;
    const stored = receipts[ref.seq - 1];
    if (!stored || stored.hash !== ref.hash || stored.activityType !== completion.activityType) {
      return {
        name: 'anchors',
        ok: false,
        detail: `history event ${completion.eventId} (${completion.activityType}) names receipt ${ref.seq} ${ref.hash.slice(0, 12)}…, which the store does not hold`,
      };
    }
    anchored += 1;
  }
  const sealed = pkg?.seal.receipts;
  if (sealed && receipts[sealed.seq - 1]?.hash !== sealed.hash) {
    return {
      name: 'anchors',
      ok: false,
      detail: `the outbox seal names receipt ${sealed.seq}, which the store does not hold`,
    };
  }
  if (anchored === 0) return { name: 'anchors', ok: false, detail: 'the history names no receipt of this run' };
  return {
    name: 'anchors',
    ok: true,
    detail: `${anchored} receipts named in the Temporal history, each the one stored${sealed ? ', and the one the outbox seal names' : ''}`,
  };
}

const ACTIVITY_OF: Partial<Record<string, string>> = Object.fromEntries(
  (Object.keys(STEPS) as StepName[]).map((step) => [step, STEPS[step].activity]),
);

/**
 * What workflow code reported is a claim: every step the trail says ran must have the receipt of its activity, with
 * the same output, made by a trusted worker for this run. A trail handed to the store by a run's own code (made-up
 * steps, outputs nobody produced) has none.
 */
export function claimsCheck(events: readonly AuditEvent[], receipts: readonly Receipt[]): TrailCheck {
  let proven = 0;
  for (const event of events) {
    const activity = ACTIVITY_OF[event.step];
    if (!activity || event.outcome !== 'ok') continue;
    if (!event.outputHash) {
      return {
        name: 'claims',
        ok: false,
        detail: `event ${event.seq} (${event.step}) claims a step without its output`,
      };
    }
    const receipt = receipts.find(
      (r) => r.activityType === activity && r.outcome === 'completed' && r.outputHash === event.outputHash,
    );
    if (!receipt) {
      return {
        name: 'claims',
        ok: false,
        detail: `event ${event.seq} (${event.step}) claims an output of ${activity} that no receipt of this run shows`,
      };
    }
    proven += 1;
  }
  return { name: 'claims', ok: true, detail: `each of the trail's ${proven} steps has the receipt of its activity` };
}
