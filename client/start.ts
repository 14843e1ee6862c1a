import { randomBytes } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Brief } from '../domain/brief';
import type { CampaignInput } from '../domain/campaign';
import { markdownText } from '../domain/escape';
import { hashOf } from '../domain/hash';
import { CampaignBrand, CampaignStage } from '../domain/search-attributes';
import { signStart } from '../domain/start-request';
import { TASK_QUEUE } from '../domain/task-queue';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { loadSecretKey } from '../keys/signing-keys';
import type { campaignWorkflow } from '../workflows';
import { bindingOf } from './decide';
import { ClientError } from './errors';

/** A started campaign: its ids. */
export interface Started {
  workflowId: string;
  runId: string;
}

/**
 * Starts a campaign workflow for a validated brief, signed by the requester with their key from `keyDir` when they
 * have one there (the planner verifies it, and requires it where the brand requires signed decisions; with
 * `requireSignature`, a requester without a key is refused here, before anything starts); refuses an id that is
 * running or has run before.
 */
export async function startCampaign(
  client: Client,
  brief: Brief,
  requestedBy: string,
  workflowId: string,
  taskQueue = TASK_QUEUE,
  options: { keyDir?: string; requireSignature?: boolean; byLogin?: boolean } = {},
): Promise<Started> {
  const secret = options.keyDir && !options.byLogin ? loadSecretKey(options.keyDir, requestedBy) : undefined;
  if (!secret && options.requireSignature && !options.byLogin) {
    throw new ClientError(
      'key',
      `${requestedBy} has no signing key in ${options.keyDir ?? 'no key folder'}: a campaign's start is signed by its ` +
        `requester; create one with \`npx campaign keys new --as ${requestedBy}\` (its public key must be in the roster)`,
    );
  }
  const start = secret ? signStart(workflowId, hashOf(brief), requestedBy, secret) : undefined;
  const reuse = await earlierRunIsNoCampaign(client, workflowId);
  try {
    const handle = await client.workflow.start<typeof campaignWorkflow>(CAMPAIGN_WORKFLOW_TYPE, {
      taskQueue,
      workflowId,
      // Signed in, the client's codec is the codec server: it stamps the start for this id as the login's and takes
      // `campaignId` out (the workflow itself would refuse it as an unknown field).
      args: [
        options.byLogin
          ? ({ campaignId: workflowId, brief, requestedBy } as CampaignInput)
          : { brief, requestedBy, ...(start ? { start } : {}) },
      ],
      typedSearchAttributes: [
        { key: CampaignStage, value: 'planning' },
        { key: CampaignBrand, value: brief.brand },
      ],
      // A finished campaign's id is never run again: its outbox package and audit trail belong to that one run. An
      // id whose closed run never got a plan (a squatter's) is free: the planner binds the id to the first run it plans.
      workflowIdReusePolicy: reuse ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      // The UI renders both as Markdown: escaped, so a brief cannot make bold "approvals" or headings there.
      staticSummary: `${markdownText(brief.campaign)} (${brief.channels.join(', ')})`,
      staticDetails: `**Objective:** ${markdownText(brief.objective)}\n\n**Key messages:**\n\n${brief.keyMessages.map((m) => `- ${markdownText(m)}`).join('\n')}`,
    });
    return { workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ClientError(
        'already-started',
        `a campaign with id '${workflowId}' already exists (running or finished)`,
        {
          cause: err,
        },
      );
    }
    throw err;
  }
}

/**
 * Whether the id's latest run is closed and never became a campaign: no plan in its memo and its stage still the one
 * a start request sets. Such a run (someone's workflow under a campaign id) does not keep the id from its campaign.
 */
async function earlierRunIsNoCampaign(client: Client, workflowId: string): Promise<boolean> {
  const described = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => null);
  if (!described || described.status.name === 'RUNNING') return false;
  const stage = described.typedSearchAttributes.get(CampaignStage);
  return !bindingOf(described).planHash && (stage === undefined || stage === 'planning');
}

/** A readable, unique workflow id: brand, date and a random suffix. */
export function newCampaignId(brief: Brief, now = new Date()): string {
  return `${brief.brand}-${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
}
