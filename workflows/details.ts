import type { ApprovalPlan, PendingApproval } from '../domain/campaign';
import { markdownText as md } from '../domain/escape';
import type { Stage } from '../domain/steps';
import { describeUsage, type UsageReport } from '../domain/usage';

/**
 * Renders the Markdown shown as "Current Details" in the Temporal UI. Everything that comes from a brief, a model or a
 * person goes through `markdownText`, so copy cannot fake a heading, a hash or an approval on the approver's page.
 */
export function renderDetails(
  campaignId: string,
  campaign: string,
  stage: Stage,
  plan: ApprovalPlan | null,
  pending: PendingApproval | null,
  usage: UsageReport,
): string {
  const { total } = usage;
  const lines = [`## ${md(campaign)}`, '', `**Stage:** \`${stage}\``, `**Model use:** ${describeUsage(total)}`];
  if (plan) {
    lines.push(
      `**Risk:** ${plan.risk} · **Approvals required:** ${plan.requiredApprovals} · **Approvers:** ${plan.eligibleApprovers.map(md).join(', ')}`,
    );
  }
  if (!pending) return lines.join('\n');
  lines.push(
    '',
    `### Awaiting approval (round ${pending.round})`,
    `Deadline: ${pending.deadline} · Approved so far: ${pending.approvedBy.map(md).join(', ') || 'nobody'}`,
    // Campaigns started before claims were counted have none to show.
    pending.claims ? `Claims grounded in cited facts: ${pending.claims.grounded} of ${pending.claims.total}` : '',
    '',
    '| Variant | Channel | Headline | Body | Facts |',
    '|---|---|---|---|---|',
    ...pending.variants.map(
      (v) => `| ${md(v.id)} | ${v.channel} | ${md(v.headline)} | ${md(v.body)} | ${v.factIds.map(md).join(', ')} |`,
    ),
    '',
    pending.findings.length === 0
      ? '**Reviewer findings:** none'
      : `**Reviewer findings:**\n${pending.findings.map((f) => `- ${f.blocking ? '⛔' : '⚠️'} ${md(f.variantId)}: ${f.kind}: ${md(f.detail)}`).join('\n')}`,
    '',
    `**Content hash:** \`${pending.contentHash}\``,
    '',
    ...howToDecide(campaignId, plan, pending),
  );
  return lines.join('\n');
}

/** The Update to send, and with signed decisions the command that makes its Data. */
function howToDecide(campaignId: string, plan: ApprovalPlan | null, pending: PendingApproval): string[] {
  if (!plan?.signatures?.required) {
    return [
      'To decide, send the **decide** Update with:',
      '```json',
      JSON.stringify({ decision: 'approve', approver: '<your roster id>', contentHash: pending.contentHash }, null, 2),
      '```',
      '(`reject` needs `reason`, `request-changes` needs `feedback`.)',
    ];
  }
  // A workflow id is whatever its starter chose; only a plain one goes into a command to copy.
  const id = /^[\w.-]{1,200}$/.test(campaignId) ? campaignId : '<campaign id>';
  return [
    'Decisions on this campaign must be **signed**. Run, with your roster id:',
    '```sh',
    `npx campaign sign ${id} --as <your roster id> --decision approve --content-hash ${pending.contentHash}`,
    '```',
    'and paste its output, within 5 minutes, as the Data of the **decide** Update. (`--decision reject --note "why"` ' +
      'or `--decision request-changes --note "what"` for the others.)',
  ];
}
