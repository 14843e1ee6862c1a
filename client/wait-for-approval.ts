import type { WorkflowHandle } from '@temporalio/client';
import type { PendingApproval } from '../domain/campaign';
import { campaignStateQuery } from '../workflows/messages';
import { ClientError } from './errors';

/**
 * Polls a campaign until its approval gate shows round `round` (or later); fails when the workflow closes first or
 * the timeout passes. Used by the evaluation, the fixture recorder and the tests.
 */
export async function waitForApproval(
  handle: WorkflowHandle,
  options: { round?: number; timeoutMs?: number } = {},
): Promise<PendingApproval> {
  const { round = 1, timeoutMs = 30_000 } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { pending } = await handle.query(campaignStateQuery);
    if (pending && pending.round >= round) return pending;
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING')
      throw new ClientError('gate-not-reached', `campaign ended ${status.name} before the approval gate`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ClientError(
    'gate-not-reached',
    `${handle.workflowId} did not reach the approval gate (round ${round}) within ${timeoutMs} ms`,
  );
}
