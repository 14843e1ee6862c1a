import type { Command } from 'commander';
import { campaignView, notWaitingFor, pendingApproval } from '../client/campaign-view';
import { describeCampaign } from '../client/describe';
import { ClientError } from '../client/errors';
import type { PendingApproval } from '../domain/campaign';
import { terminalText } from '../domain/escape';
import { cliClient } from './context';

/** `campaign show ID`: the copy awaiting a decision, with its review findings, without deciding anything. */
export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show the copy awaiting a decision and its review findings (decides nothing)')
    .argument('<id>', 'workflow id')
    .option('--json', 'print one JSON document on stdout')
    .action(async (id: string, opts: { json?: boolean }) => {
      const client = await cliClient();
      const description = await describeCampaign(client, id);
      const pending = pendingApproval(description);
      if (!pending) throw new ClientError('not-sent', notWaitingFor(campaignView(description), 'approval'));
      if (opts.json) {
        console.log(JSON.stringify({ workflowId: id, ...pending }));
        return;
      }
      const lines = [...copyLines(id, pending), decideHint(id, pending.contentHash)];
      console.log(lines.join('\n'));
    });
}

/** What waits at the gate, as a person reads it on a terminal: each variant, each finding, the content hash. */
export function copyLines(id: string, pending: PendingApproval): string[] {
  return [
    `${id}, round ${pending.round}: ${pending.variants.length} variant(s), ${pending.findings.length} review finding(s)`,
    ...pending.variants.map((v) => `  [${v.channel}] ${terminalText(v.headline)}\n      ${terminalText(v.body)}`),
    ...pending.findings.map((f) => `  ${f.blocking ? 'BLOCKING' : 'note'} ${f.variantId}: ${terminalText(f.detail)}`),
    `  content hash ${pending.contentHash}`,
  ];
}

/** The command that decides on what `copyLines` showed. */
export function decideHint(id: string, contentHash: string): string {
  return `  decide: npx campaign approve ${id} --as <you> --content-hash ${contentHash}`;
}
