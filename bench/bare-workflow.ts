import { condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { PendingApproval } from '../domain/campaign';
import { decideUpdate, gateOpenedUpdate } from '../workflows/messages';
import type * as activities from './noop-activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

/**
 * The benchmark's baseline: the campaign's shape on bare Temporal, one local and five scheduled no-op activities and
 * an Update gate that the same client code waits for and decides on, without policies, audit, memo or display.
 */
export async function bareWorkflow(): Promise<string> {
  let pending: PendingApproval | null = null;
  let approved = false;
  setHandler(gateOpenedUpdate, async () => {
    await condition(() => pending !== null);
    return pending;
  });
  setHandler(decideUpdate, (decision) => {
    approved = true;
    return { accepted: true, decision: decision.decision, approvalsSoFar: 1, approvalsRequired: 1, contentHash: '' };
  });
  await local.noop({ step: 'plan' });
  for (const step of ['research', 'brief', 'variants', 'review']) await noop({ step });
  const contentHash = '0'.repeat(64);
  pending = {
    round: 1,
    variants: [],
    findings: [],
    claims: { total: 0, grounded: 0 },
    contentHash,
    approvedBy: [],
    deadline: '',
  };
  if (!(await condition(() => approved, '72 hours'))) return 'expired';
  await noop({ step: 'publish' });
  return 'published';
}
