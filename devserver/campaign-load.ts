import type { Client } from '@temporalio/client';
import { decisionBinding, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import type { Brief } from '../domain/brief';
import type { CampaignResult } from '../domain/campaign';
import { decideUpdate } from '../workflows/messages';

/** What one campaign driven to its end took: when its gate opened and when the approval was accepted. */
export interface DrivenCampaign {
  workflowId: string;
  result: CampaignResult;
  /** Client clock, ms since the epoch. */
  gateSeenAt: number;
  approvedAt: number;
}

/** Starts a campaign, waits for its gate, approves it as an approver from the plan, and waits for the result. */
export async function driveCampaign(
  client: Client,
  options: {
    brief: Brief;
    workflowId: string;
    taskQueue: string;
    /** Where the approver's signing key is. */
    keyDir: string;
    approver?: string;
    gateTimeoutMs?: number;
    /** Start it as releases before signed starts did (their input schema refuses one). */
    unsignedStart?: boolean;
  },
): Promise<DrivenCampaign> {
  const { brief, workflowId, taskQueue, keyDir } = options;
  await startCampaign(client, brief, 'lena.vogel', workflowId, taskQueue, options.unsignedStart ? {} : { keyDir });
  const handle = client.workflow.getHandle(workflowId);
  const { contentHash } = await waitForApproval(handle, { timeoutMs: options.gateTimeoutMs ?? 120_000 });
  const gateSeenAt = Date.now();
  const approver = options.approver ?? 'jonas.weber';
  const decision = sealDecision(
    workflowId,
    { decision: 'approve', approver, contentHash, ...(await decisionBinding(client, workflowId)) },
    { keyDir, signaturesRequired: true },
  );
  await handle.executeUpdate(decideUpdate, { args: [decision] });
  const approvedAt = Date.now();
  return { workflowId, result: (await handle.result()) as CampaignResult, gateSeenAt, approvedAt };
}

/** Runs `count` tasks with at most `concurrency` at a time; resolves with every result, in order. */
export async function withConcurrency<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}
