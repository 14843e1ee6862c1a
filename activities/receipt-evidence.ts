import { checkReceiptChain, type Receipt, type TrustedReceipts } from '../domain/receipt';
import type { GovernanceStore } from '../store/governance-store';

/**
 * The receipts of a run in the store that prove something (see {@link checkReceiptChain}), by the deployment's trust
 * list.
 */
export async function trustedReceipts(
  store: Pick<GovernanceStore, 'receipts'>,
  trustedKeys: Record<string, string>,
  campaignId: string,
  runId: string,
): Promise<TrustedReceipts> {
  return checkReceiptChain(await store.receipts.ofRun(campaignId, runId), trustedKeys, campaignId, runId);
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

/**
 * The plan our planner made for the run: its completed, trusted receipt (the output hash is the plan's hash), and why
 * any receipts were not trusted.
 */
export async function planReceiptOf(
  store: Pick<GovernanceStore, 'receipts'>,
  trustedKeys: Record<string, string>,
  campaignId: string,
  runId: string,
): Promise<{ plan: Receipt | undefined; problems: string[] }> {
  const { receipts, problems } = await trustedReceipts(store, trustedKeys, campaignId, runId);
  return { plan: receipts.findLast((r) => r.activityType === 'planCampaign' && r.outcome === 'completed'), problems };
}
