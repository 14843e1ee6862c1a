import type { Command } from 'commander';
import { campaignView } from '../client/campaign-view';
import { describeCampaign } from '../client/describe';
import type { CampaignResult } from '../domain/campaign';
import { terminalText } from '../domain/escape';
import { describeUsage } from '../domain/usage';
import { cliClient, uiLink, withStore } from './context';

/** `campaign status ID`: stage, approvals and outcome of one campaign. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show where a campaign stands')
    .argument('<id>', 'workflow id')
    .option('--json', 'print one JSON document on stdout')
    .action(async (id: string, opts: { json?: boolean }) => {
      const client = await cliClient();
      // The campaign is the run its id is bound to, where the governance store can say which; else the latest run.
      const runId = await boundRun(id);
      const handle = client.workflow.getHandle(id, runId);
      const description = await describeCampaign(client, id, runId);
      const view = campaignView(description);
      const result = view.status === 'COMPLETED' ? ((await handle.result()) as CampaignResult) : null;
      const failure = ['FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED'].includes(view.status)
        ? await handle.result().then(() => null, failureReason)
        : null;
      const outcome = result?.outcome ?? null;
      // A campaign that ended without a result is a failure of the command that reports it, for scripts too.
      if (failure !== null) process.exitCode = 1;
      if (opts.json) {
        const usage = result?.usage ?? null;
        // One shape whatever the state: top-level approvals and hash are the pending ones while the campaign waits, and
        // the published ones after (the same as in `outcome`).
        const published = outcome?.kind === 'published' ? outcome : null;
        console.log(
          JSON.stringify({
            ...view,
            approvedBy: published?.approvedBy ?? view.approvedBy,
            contentHash: published?.contentHash ?? view.contentHash,
            usage: usage?.total ?? view.usage,
            outcome,
            usageByStep: usage?.byStep ?? null,
            auditHead: result?.auditHead ?? null,
            failure,
            url: uiLink(id),
          }),
        );
        return;
      }
      const lines = [
        `${view.workflowId}: ${view.campaign ? terminalText(view.campaign) : '(no name: it ended before its plan was made)'}`,
        `  status: ${view.status}   stage: ${view.stage ?? '-'}   risk: ${view.risk ?? '-'}`,
        `  requested by: ${view.requestedBy ?? '-'}`,
      ];
      const usage = result?.usage.total ?? view.usage;
      if (usage) {
        lines.push(`  model use: ${describeUsage(usage)}`);
      }
      for (const [step, u] of Object.entries(result?.usage.byStep ?? {})) {
        lines.push(`    ${step}: ${u.calls} calls, ${u.inputTokens + u.outputTokens} tokens, €${u.costEur.toFixed(4)}`);
      }
      if (view.contentHash) {
        lines.push(
          `  awaiting ${view.requiredApprovals} approval(s); approved so far: ${view.approvedBy.join(', ') || 'nobody'}`,
          `  may decide: ${view.mayDecide.join(', ')}; may approve: ${view.mayApprove.join(', ') || 'nobody yet'}   deadline: ${view.deadline}`,
          `  content hash: ${view.contentHash}`,
        );
      }
      if (outcome?.kind === 'published')
        lines.push(`  published to ${outcome.outboxPath} (approved by ${outcome.approvedBy.join(', ')})`);
      if (outcome?.kind === 'rejected')
        lines.push(
          `  rejected${outcome.rejectedBy ? ` by ${outcome.rejectedBy}` : ''}: ${terminalText(outcome.reason)}`,
        );
      if (failure) lines.push(`  ${view.status.toLowerCase()}: ${terminalText(failure)}`);
      lines.push(`  UI: ${uiLink(id)}`);
      console.log(lines.join('\n'));
    });
}

/** Why a campaign ended without a result: the innermost failure's message (a policy denial, an invalid input). */
function failureReason(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(err);
}

/** The run the governance store binds `id` to, when the store is reachable from here; undefined otherwise. */
async function boundRun(id: string): Promise<string | undefined> {
  try {
    return await withStore(async (store) => (await store.bindings.of(id))?.runId);
  } catch {
    return undefined;
  }
}
