import type { Client } from '@temporalio/client';
import type { BudgetDecision } from '../domain/budget-decision';
import { signBudgetDecision } from '../domain/signatures';
import { loadSecretKey } from '../keys/signing-keys';
import { budgetDecisionUpdate } from '../workflows/messages';
import { answeredInTime, DECIDE_TIMEOUT_MS, requirePollers } from './decide';
import { ClientError } from './errors';

/** A budget decision as a person states it, before it is dated and signed. */
export type BudgetDraft = BudgetDecision extends infer D
  ? D extends BudgetDecision
    ? Omit<D, 'decidedAt' | 'signature'>
    : never
  : never;

/**
 * Dates a budget decision and signs it with the approver's key from `keyDir`. A raise is always signed (the model
 * gateway counts no other), so without a key it is refused here; a stop is signed when the approver has a key.
 */
export function sealBudgetDecision(
  campaignId: string,
  draft: BudgetDraft,
  options: { keyDir: string; signaturesRequired: boolean; now?: Date },
): BudgetDecision {
  const dated = { ...draft, decidedAt: (options.now ?? new Date()).toISOString() } as BudgetDecision;
  const secret = loadSecretKey(options.keyDir, draft.approver);
  if (secret) return signBudgetDecision(campaignId, dated, secret);
  if (draft.decision === 'raise' || options.signaturesRequired) {
    throw new ClientError(
      'key',
      `${draft.approver} has no signing key in ${options.keyDir}, and ${draft.decision === 'raise' ? 'a budget raise' : 'this campaign'} ` +
        `must be signed: create one with \`npx campaign keys new --as ${draft.approver}\` (its public key must be in the roster)`,
    );
  }
  return dated;
}

/** Sends a budget decision through the `budgetDecision` Update, only to a polled queue, and waits for the answer. */
export async function sendBudgetDecision(
  client: Client,
  campaignId: string,
  taskQueue: string,
  decision: BudgetDecision,
  timeoutMs = DECIDE_TIMEOUT_MS,
): Promise<{ accepted: true; decision: BudgetDecision['decision'] }> {
  await requirePollers(client, taskQueue);
  const handle = client.workflow.getHandle(campaignId);
  return answeredInTime(campaignId, decision.decidedAt, timeoutMs, () =>
    handle.executeUpdate(budgetDecisionUpdate, { args: [decision] }),
  );
}
