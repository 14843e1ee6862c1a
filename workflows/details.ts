import type { ApprovalPlan, PendingApproval } from '../domain/campaign';
import type { Stage } from '../domain/steps';
import { describeUsage, type UsageReport } from '../domain/usage';

/** Renders the Markdown shown as "Current Details" in the Temporal UI. */
export function renderDetails(
  campaign: string,
  stage: Stage,
  plan: ApprovalPlan | null,
  pending: PendingApproval | null,
  usage: UsageReport,
): string {
  const { total } = usage;
  const lines = [`## ${escapeCell(campaign)}`, '', `**Stage:** \`${stage}\``, `**Model use:** ${describeUsage(total)}`];
  if (plan) {
    lines.push(
      `**Risk:** ${plan.risk} · **Approvals required:** ${plan.requiredApprovals} · **Approvers:** ${plan.eligibleApprovers.join(', ')}`,
    );
  }
  if (!pending) return lines.join('\n');
  lines.push(
    '',
    `### Awaiting approval (round ${pending.round})`,
    `Deadline: ${pending.deadline} · Approved so far: ${pending.approvedBy.join(', ') || 'nobody'}`,
    // Campaigns started before claims were counted have none to show.
    pending.claims ? `Claims grounded in cited facts: ${pending.claims.grounded} of ${pending.claims.total}` : '',
    '',
    '| Variant | Channel | Headline | Body | Facts |',
    '|---|---|---|---|---|',
    ...pending.variants.map(
      (v) => `| ${v.id} | ${v.channel} | ${escapeCell(v.headline)} | ${escapeCell(v.body)} | ${v.factIds.join(', ')} |`,
    ),
    '',
    pending.findings.length === 0
      ? '**Reviewer findings:** none'
      : `**Reviewer findings:**\n${pending.findings.map((f) => `- ${f.blocking ? '⛔' : '⚠️'} ${f.variantId}: ${f.kind}: ${escapeCell(f.detail)}`).join('\n')}`,
    '',
    `**Content hash:** \`${pending.contentHash}\``,
    '',
    'To decide, send the **decide** Update with:',
    '```json',
    JSON.stringify({ decision: 'approve', approver: '<your roster id>', contentHash: pending.contentHash }, null, 2),
    '```',
    '(`reject` needs `reason`, `request-changes` needs `feedback`.)',
  );
  return lines.join('\n');
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
