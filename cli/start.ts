import { randomBytes } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Command } from 'commander';
import type { Brief } from '../domain/brief';
import { CampaignBrand, CampaignStage } from '../domain/search-attributes';
import { TASK_QUEUE } from '../domain/task-queue';
import type { campaignWorkflow } from '../workflows';
import { readBriefFile } from './brief-file';
import { connectClient, workflowUrl } from './connect';
import { BAD_INPUT, CliError } from './errors';

/** What `start` prints with `--json`. */
export interface Started {
  workflowId: string;
  runId: string;
  url: string;
}

/** Starts a campaign workflow for a validated brief; refuses an id that is already running. */
export async function startCampaign(
  client: Client,
  brief: Brief,
  requestedBy: string,
  workflowId: string,
  taskQueue = TASK_QUEUE,
): Promise<Started> {
  try {
    const handle = await client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
      taskQueue,
      workflowId,
      args: [{ brief, requestedBy }],
      typedSearchAttributes: [
        { key: CampaignStage, value: 'planning' },
        { key: CampaignBrand, value: brief.brand },
      ],
      staticSummary: `${brief.campaign} (${brief.channels.join(', ')})`,
      staticDetails: `**Objective:** ${brief.objective}\n\n**Key messages:**\n${brief.keyMessages.map((m) => `- ${m}`).join('\n')}`,
    });
    return { workflowId, runId: handle.firstExecutionRunId, url: workflowUrl(workflowId) };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CliError(`--id: a campaign with id '${workflowId}' is already running`, BAD_INPUT);
    }
    throw err;
  }
}

/** A readable, unique workflow id: brand, date and a random suffix. */
export function newCampaignId(brief: Brief, now = new Date()): string {
  return `${brief.brand}-${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
}

/** `campaign start BRIEF`: validates the brief, then starts its workflow. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('validate a brief (YAML or JSON) and start its campaign workflow')
    .argument('<brief>', 'path to the brief file')
    .option('--requested-by <user>', 'roster id of the requester (default: $CAMPAIGN_USER)')
    .option('--id <id>', 'workflow id (default: <brand>-<date>-<random>)')
    .option('--json', 'print one JSON document on stdout')
    .action(async (file: string, opts: { requestedBy?: string; id?: string; json?: boolean }) => {
      const brief = readBriefFile(file);
      const requestedBy = opts.requestedBy ?? process.env.CAMPAIGN_USER;
      if (!requestedBy) throw new CliError('--requested-by: required (or set CAMPAIGN_USER)', BAD_INPUT);
      if (opts.id !== undefined && !/^[A-Za-z0-9][\w.-]{0,199}$/.test(opts.id)) {
        throw new CliError(
          '--id: start with a letter or digit, then letters, digits, ".", "_" or "-" (at most 200)',
          BAD_INPUT,
        );
      }
      const client = await connectClient();
      const started = await startCampaign(client, brief, requestedBy, opts.id ?? newCampaignId(brief));
      if (opts.json) {
        console.log(JSON.stringify(started));
        return;
      }
      console.log(
        `started ${started.workflowId}\n  follow: npx campaign status ${started.workflowId}\n  UI:     ${started.url}`,
      );
    });
}
