import type { Command } from 'commander';
import { type CampaignView, campaignView } from '../client/campaign-view';
import { terminalText } from '../domain/escape';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { cliClient } from './context';
import { BAD_INPUT, CliError } from './errors';

/** `campaign list`: the latest campaigns, newest first, with stage, requester and deadline. */
export function registerList(program: Command): void {
  program
    .command('list')
    .description('list campaigns, newest first: status, stage, requester and the approval deadline')
    .option('--running', 'only campaigns still running')
    .option('--limit <n>', 'at most this many (default 50)', '50')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { running?: boolean; limit: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new CliError('--limit: a whole number from 1 to 10000', BAD_INPUT);
      const query = `WorkflowType = "${CAMPAIGN_WORKFLOW_TYPE}"${opts.running ? ' AND ExecutionStatus = "Running"' : ''}`;
      const client = await cliClient();
      const views: (CampaignView & { startTime: string })[] = [];
      for await (const info of client.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
        views.push({ ...campaignView(info), startTime: info.startTime.toISOString() });
        if (views.length >= limit) break;
      }
      if (opts.json) {
        console.log(JSON.stringify(views));
        return;
      }
      if (views.length === 0) {
        console.log(opts.running ? 'no campaign is running' : 'no campaigns yet');
        return;
      }
      for (const v of views) {
        const waits = v.deadline ? `   deadline ${v.deadline}` : '';
        console.log(
          `${v.workflowId}  ${v.status.toLowerCase()}  ${v.stage ?? '-'}  requested by ${v.requestedBy ?? '-'}${waits}\n  ${terminalText(v.campaign ?? '(no name: it ended before its plan was made)')}`,
        );
      }
    });
}
