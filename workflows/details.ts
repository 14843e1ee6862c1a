import type { BudgetStatus } from '../domain/budget-decision';
import type { ApprovalPlan, PendingApproval } from '../domain/campaign';
import { markdownText as md } from '../domain/escape';
import type { Stage } from '../domain/steps';
import { describeUsage, type UsageReport } from '../domain/usage';

/**
 * Renders the Markdown shown as "Current Details" in the Temporal UI. Everything that comes from a brief, a model or a
 * person goes through `markdownText`, so copy cannot fake a heading, a hash or an approval on the approver's page.
 */
export function renderDetails({ campaignId, campaign, stage, plan, pending, budget, usage }: DetailsInput): string {
  const { total } = usage;
  const lines = [`## ${md(campaign)}`, '', `**Stage:** \`${stage}\``, `**Model use:** ${describeUsage(total)}`];
  if (plan) {
    lines.push(
      `**Risk:** ${plan.risk} · **Approvals required:** ${plan.requiredApprovals} · **Approvers:** ${plan.eligibleApprovers.map(md).join(', ')}`,
    );
  }
  if (budget) lines.push('', ...budgetSection(campaignId, budget));
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

/** What Current Details shows of one campaign. */
export interface DetailsInput {
  campaignId: string;
  campaign: string;
  stage: Stage;
  plan: ApprovalPlan | null;
  pending: PendingApproval | null;
  /** The budget a step waits at, if any. */
  budget: BudgetStatus | null;
  usage: UsageReport;
}

/** The budget a step reached, and the command that raises it or stops the campaign. */
function budgetSection(campaignId: string, budget: BudgetStatus): string[] {
  const needs = budget.spentEur + budget.neededEur;
  return [
    `### Model budget reached (${budget.step})`,
    `Spent €${budget.spentEur.toFixed(4)} of €${budget.limitEur.toFixed(4)}; the next call could cost up to €${budget.neededEur.toFixed(4)}, so at least €${needs.toFixed(4)} are needed.`,
    '',
    'An approver in the plan raises the budget (signed) or stops the campaign:',
    '```sh',
    `npx campaign budget ${commandId(campaignId)} --as <your roster id> --raise <EUR>`,
    `npx campaign budget ${commandId(campaignId)} --as <your roster id> --stop --reason "why"`,
    '```',
    '(or send the **budgetDecision** Update with the JSON `npx campaign budget … --print` prints).',
  ];
}

/** A workflow id is whatever its starter chose; only a plain one goes into a command to copy. */
function commandId(campaignId: string): string {
  return /^[\w.-]{1,200}$/.test(campaignId) ? campaignId : '<campaign id>';
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
  const id = commandId(campaignId);
  return [
    'Decisions on this campaign must be **signed**. Run, with your roster id:',
    '```sh',
    `npx campaign sign ${id} --as <your roster id> --decision approve --content-hash ${pending.contentHash}`,
    '```',
    'and paste its output, within 5 minutes, as the Data of the **decide** Update. (`--decision reject --note "why"` ' +
      'or `--decision request-changes --note "what"` for the others.)',
  ];
}
