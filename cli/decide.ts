import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { campaignView } from '../client/campaign-view';
import { connectClient } from '../client/connect';
import { describeCampaign } from '../client/describe';
import type { Decision } from '../domain/decision';
import { decideUpdate } from '../workflows/messages';
import { BAD_INPUT, CliError } from './errors';

interface DecideOptions {
  as?: string;
  contentHash?: string;
  json?: boolean;
}

/** Sends one decision through the `decide` Update and waits for the workflow's receipt or refusal. */
async function decide(id: string, opts: DecideOptions, build: (approver: string, contentHash: string) => Decision) {
  if (!opts.as) throw new CliError('--as: required (your roster id)', BAD_INPUT);
  const client = await connectClient();
  const handle = client.workflow.getHandle(id);
  const description = await describeCampaign(client, id);
  // Binds the decision to the content the approver saw: the hash given, or the one shown by `status` and the UI.
  const contentHash = opts.contentHash ?? campaignView(description).contentHash;
  if (!contentHash) throw new CliError(`campaign '${id}' is not waiting for approval`);
  try {
    const receipt = await handle.executeUpdate(decideUpdate, { args: [build(opts.as, contentHash)] });
    if (opts.json) console.log(JSON.stringify(receipt));
    else
      console.log(
        `${receipt.decision} recorded for ${id} (${receipt.approvalsSoFar}/${receipt.approvalsRequired} approvals)`,
      );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new CliError(`refused: ${err.cause?.message ?? err.message}`);
    throw err;
  }
}

const common = (cmd: Command) =>
  cmd
    .argument('<id>', 'workflow id')
    .option('--as <user>', 'your roster id')
    .option('--content-hash <hash>', 'the content hash you reviewed (default: the one now awaiting approval)')
    .option('--json', 'print one JSON document on stdout');

/** `approve`, `reject` and `request-changes`. */
export function registerDecisions(program: Command): void {
  common(program.command('approve').description('approve the content awaiting approval'))
    .option('--comment <text>', 'a note for the audit trail')
    .action((id: string, opts: DecideOptions & { comment?: string }) =>
      decide(id, opts, (approver, contentHash) => ({
        decision: 'approve',
        approver,
        contentHash,
        comment: opts.comment,
      })),
    );
  common(program.command('reject').description('reject the campaign'))
    .option('--reason <text>', 'why (required)')
    .action((id: string, opts: DecideOptions & { reason?: string }) => {
      if (!opts.reason) throw new CliError('--reason: required', BAD_INPUT);
      const reason = opts.reason;
      return decide(id, opts, (approver, contentHash) => ({ decision: 'reject', approver, contentHash, reason }));
    });
  common(program.command('request-changes').description('send the variants back with feedback'))
    .option('--feedback <text>', 'what to change (required)')
    .action((id: string, opts: DecideOptions & { feedback?: string }) => {
      if (!opts.feedback) throw new CliError('--feedback: required', BAD_INPUT);
      const feedback = opts.feedback;
      return decide(id, opts, (approver, contentHash) => ({
        decision: 'request-changes',
        approver,
        contentHash,
        feedback,
      }));
    });
}
