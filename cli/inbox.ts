import type { Command } from 'commander';
import { type CampaignView, campaignView } from '../client/campaign-view';
import { settings } from '../config/settings';
import { terminalText } from '../domain/escape';
import { inboxToken, personalInboxQuery } from '../domain/inbox';
import { ROSTER_ID_CHARACTERS, rosterIdSchema } from '../domain/roster-id';
import { ensureInboxSecret } from '../keys/inbox-secret';
import { cliClient, rosterPerson } from './context';
import { BAD_INPUT, CliError } from './errors';

/** The visibility query behind the inbox; the same one works in the Temporal UI's search box. */
export const INBOX_QUERY = 'CampaignStage IN ("awaiting-approval", "awaiting-budget") AND ExecutionStatus = "Running"';

/** `campaign inbox [--as USER]`: campaigns waiting for a decision, with who may still decide each. */
export function registerInbox(program: Command): void {
  program
    .command('inbox')
    .description('list campaigns waiting for approval or for a budget decision')
    .option('--as <user>', 'only campaigns this roster id may decide on (found by their inbox token)')
    .option('--query', 'print the visibility query of this inbox, to save as a view in the Temporal UI, and exit')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { as?: string; json?: boolean; query?: boolean }) => {
      if (opts.as !== undefined && !rosterIdSchema.safeParse(opts.as).success) {
        throw new CliError(`--as: a roster id (${ROSTER_ID_CHARACTERS})`, BAD_INPUT);
      }
      if (opts.as !== undefined) rosterPerson(opts.as);
      // A person's inbox is found by their opaque token: search attributes name nobody.
      const query = opts.as
        ? personalInboxQuery(
            inboxToken(ensureInboxSecret(settings().paths.keyDir, settings().inboxSecret, { create: false }), opts.as),
          )
        : INBOX_QUERY;
      if (opts.query) {
        console.log(query);
        process.stderr.write(
          `save it as a view in the Temporal UI: ${settings().temporal.uiUrl}/namespaces/${settings().temporal.namespace}/workflows?query=${encodeURIComponent(query)}\n`,
        );
        return;
      }
      const client = await cliClient();
      const waiting: CampaignView[] = [];
      for await (const info of client.workflow.list({ query })) {
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
