import type { Command } from 'commander';
import { type CampaignView, campaignView } from '../client/campaign-view';
import { connectClient } from '../client/connect';
import { terminalText } from '../domain/escape';

/** The visibility query behind the inbox; the same one works in the Temporal UI's search box. */
export const INBOX_QUERY = 'CampaignStage IN ("awaiting-approval", "awaiting-budget") AND ExecutionStatus = "Running"';

/** `campaign inbox [--as USER]`: campaigns waiting for a decision, with who may still decide each. */
export function registerInbox(program: Command): void {
  program
    .command('inbox')
    .description('list campaigns waiting for approval or for a budget decision')
    .option('--as <user>', 'only campaigns this roster id may decide on')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { as?: string; json?: boolean }) => {
      const client = await connectClient();
      const waiting: CampaignView[] = [];
      for await (const info of client.workflow.list({ query: INBOX_QUERY })) {
        const view = campaignView(info);
        if (!opts.as || view.mayDecide.includes(opts.as)) waiting.push(view);
      }
      if (opts.json) {
        console.log(JSON.stringify(waiting));
        return;
      }
      if (waiting.length === 0) {
        console.log(opts.as ? `nothing waits for ${opts.as}` : 'nothing waits for approval');
        return;
      }
      for (const view of waiting) {
        if (view.budget) {
          const { step, spentEur, limitEur, neededEur } = view.budget;
          console.log(
            `${view.workflowId}  ${terminalText(view.campaign ?? '')}\n  model budget reached at ${step}: €${spentEur.toFixed(4)} of €${limitEur.toFixed(4)} spent, next call up to €${neededEur.toFixed(4)}; may decide: ${view.mayDecide.join(', ')} (\`npx campaign budget ${view.workflowId} --raise EUR | --stop\`)`,
          );
          continue;
        }
        console.log(
          `${view.workflowId}  ${terminalText(view.campaign ?? '')}\n  requested by ${view.requestedBy}; ${view.approvedBy.length}/${view.requiredApprovals} approvals; may decide: ${view.mayDecide.join(', ')}; may approve: ${view.mayApprove.join(', ') || 'nobody yet'}; deadline ${view.deadline}`,
        );
      }
    });
}
