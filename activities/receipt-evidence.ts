import { GENESIS_HASH } from '../domain/audit-verify';
import { type Receipt, receiptRefusal } from '../domain/receipt';
import type { GovernanceStore } from '../store/governance-store';

/** A run's receipts that a trusted worker key made, in order, and why any others were left out. */
export interface TrustedReceipts {
  receipts: Receipt[];
  problems: string[];
}

/**
 * The receipts of a run that prove something: sealed, signed by a key of the deployment's trust list, numbered and
 * chained without a gap. Everything else (a forged row, a key nobody trusts) proves nothing and is named.
 */
export async function trustedReceipts(
  store: Pick<GovernanceStore, 'receipts'>,
  trustedKeys: Record<string, string>,
  campaignId: string,
  runId: string,
): Promise<TrustedReceipts> {
  const all = await store.receipts.ofRun(campaignId, runId);
  const problems: string[] = [];
  const receipts: Receipt[] = [];
  let prev = GENESIS_HASH;
  for (const [i, receipt] of all.entries()) {
    const problem =
      receiptRefusal(receipt, trustedKeys) ??
      (receipt.seq !== i + 1 || receipt.prevHash !== prev
        ? `receipt ${receipt.seq} does not continue the chain`
        : null) ??
      (receipt.campaignId !== campaignId || receipt.runId !== runId ? `receipt ${receipt.seq} is another run's` : null);
    prev = receipt.hash;
    if (problem) problems.push(problem);
    else receipts.push(receipt);
  }
  return { receipts, problems };
}

/** The completed receipt of `activityType` whose output hashes to `outputHash`, if a trusted worker made one. */
export function receiptFor(
  receipts: readonly Receipt[],
  activityType: string,
  outputHash: string,
): Receipt | undefined {
  return receipts.find(
    (r) => r.activityType === activityType && r.outcome === 'completed' && r.outputHash === outputHash,
  );
}

/** The plan our planner made for the run: its completed, trusted receipt (the output hash is the plan's hash). */
export async function planReceiptOf(
  store: Pick<GovernanceStore, 'receipts'>,
  trustedKeys: Record<string, string>,
  campaignId: string,
  runId: string,
): Promise<Receipt | undefined> {
  const { receipts } = await trustedReceipts(store, trustedKeys, campaignId, runId);
  return receipts.findLast((r) => r.activityType === 'planCampaign' && r.outcome === 'completed');
}
