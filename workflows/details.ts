import type { BudgetStatus } from '../domain/budget-decision';
import type { ApprovalPlan, CampaignOutcome, PendingApproval, ReviewFinding, Variant } from '../domain/campaign';
import type { Channel } from '../domain/channels';
import { codeSpan, markdownLines, markdownText as md } from '../domain/escape';
import type { Stage } from '../domain/steps';
import { timeLeft, timeText } from '../domain/time-text';
import { describeUsage, type UsageReport } from '../domain/usage';

/** A decision that ended the campaign, as the final details show it. */
export interface FinalDecision {
  approver: string;
  decision: string;
  decidedAt: string;
}

/** How the campaign ended, for the final details. */
export interface FinalState {
  outcome: CampaignOutcome;
  decisions: FinalDecision[];
  auditHead: string;
}

/** What Current Details show of one campaign. */
export interface DetailsInput {
  campaignId: string;
  campaign: string;
  stage: Stage;
  plan: ApprovalPlan | null;
  pending: PendingApproval | null;
  /** Who may still decide on the pending request (the gate's own rules). */
  mayDecide: string[];
  /** The budget a step waits at, if any. */
  budget: BudgetStatus | null;
  usage: UsageReport;
  /** Set once the campaign has ended. */
  final?: FinalState | null;
  /** The workflow's time when the details were drawn, for "how long is left". */
  now: number;
  /** What a decision is bound to (campaigns with receipts): this run and the plan's hash. */
  binding?: { runId: string; planHash: string };
}

const STAGE_WORDS: Record<string, string> = {
  planning: 'Planning the approval',
  researching: 'Researching facts',
  briefing: 'Writing the creative brief',
  writing: 'Writing the variants',
  reviewing: 'Reviewing the variants',
  'awaiting-approval': 'Waiting for your decision',
  'awaiting-budget': 'Waiting for a budget decision',
  publishing: 'Publishing',
  published: 'Published',
  rejected: 'Rejected',
  failed: 'Failed',
};

const CHANNEL_WORDS: Record<Channel, string> = {
  'search-ad': 'Search ad',
  email: 'E-mail',
  social: 'Social post',
  display: 'Display ad',
};

/**
 * Renders the Markdown shown as "Current Details" in the Temporal UI, laid out for its narrow panel: one block per
 * variant, nothing wider than a hash. Everything that comes from a brief, a model or a person goes through the
 * Markdown escapes, so copy cannot fake a heading, a hash or an approval on the approver's page.
 */
export function renderDetails(input: DetailsInput): string {
  const { campaign, stage, plan, pending, budget, usage, final } = input;
  const lines = [
    `## ${md(campaign)}`,
    '',
    `**${STAGE_WORDS[stage] ?? stage}** · stage \`${stage}\``,
    '',
    `Model use: ${describeUsage(usage.total)}`,
  ];
  if (plan) {
    lines.push(
      '',
      `Risk: **${plan.risk}** · ${plan.requiredApprovals} approval${plan.requiredApprovals === 1 ? '' : 's'} needed` +
        (plan.mustInclude.length ? `, one of them from ${plan.mustInclude.map(md).join(' or ')}` : ''),
    );
  }
  if (final) lines.push('', ...finalSection(final));
  if (budget) lines.push('', ...budgetSection(input.campaignId, budget));
  if (pending && !final) lines.push('', ...pendingSection(input, pending));
  return lines.join('\n');
}

function pendingSection(input: DetailsInput, pending: PendingApproval): string[] {
  const { plan, mayDecide, now } = input;
  const blocking = pending.findings.filter((f) => f.blocking).length;
  return [
    `### Waiting for approval · round ${pending.round}`,
    '',
    `**Decide by:** ${timeText(pending.deadline)}  `,
    `${timeLeft(pending.deadline, now)} left (without a decision the campaign is rejected)`,
    '',
    `**Approved so far:** ${pending.approvedBy.map(md).join(', ') || 'nobody'}` +
      (plan ? ` (${pending.approvedBy.length} of ${plan.requiredApprovals})` : ''),
    '',
    `**May still decide:** ${mayDecide.map(md).join(', ') || 'nobody'}`,
    '',
    pending.claims
      ? `Claims grounded in cited facts: **${pending.claims.grounded} of ${pending.claims.total}**`
      : 'Claims grounded in cited facts: not counted for this campaign',
    '',
    ...pending.variants.flatMap((v) => variantBlock(v, pending)),
    '#### Reviewer findings',
    '',
    ...(pending.findings.length === 0 ? ['None.'] : pending.findings.map(findingLine)),
    blocking > 0 ? `\n${blocking} blocking finding(s): approval is refused until changes are made.` : '',
    '',
    '#### Content hash',
    '',
    'Your decision is bound to exactly this content:',
    '',
    '```',
    pending.contentHash,
    '```',
    '',
    ...howToDecide(input.campaignId, plan, pending, input.binding),
  ];
}

/** One variant: channel, headline, body with its line breaks, and the facts it cites with their text. */
function variantBlock(variant: Variant, pending: PendingApproval): string[] {
  const facts = new Map((pending.facts ?? []).map((f) => [f.id, f.text]));
  return [
    `#### ${md(variant.id)} · ${CHANNEL_WORDS[variant.channel] ?? variant.channel}`,
    '',
    `**${md(variant.headline)}**`,
    '',
    markdownLines(variant.body),
    '',
    variant.factIds.length === 0 ? '_Cites no facts._' : '_Cited facts:_',
    '',
    ...variant.factIds.map((id) => `- ${codeSpan(id)} ${facts.has(id) ? md(facts.get(id) ?? '') : ''}`.trimEnd()),
    '',
  ];
}

function findingLine(finding: ReviewFinding): string {
  const severity = finding.blocking ? '⛔ **blocking**' : '⚠️ advisory';
  return `- ${severity} · ${md(finding.variantId)} · ${finding.kind}: ${md(finding.detail)}`;
}

/** The Update to send, and with signed decisions the command that makes its Data; every line fits the panel. */
function howToDecide(
  campaignId: string,
  plan: ApprovalPlan | null,
  pending: PendingApproval,
  binding: DetailsInput['binding'],
): string[] {
  if (plan?.signatures?.logins && binding) {
    // Logged in, the person is who decides: the login service stamps the Data as theirs on its way to Temporal.
    const data = {
      decision: 'approve',
      campaignId,
      runId: binding.runId,
      planHash: binding.planHash,
      contentHash: pending.contentHash,
    };
    return [
      '#### How to decide',
      '',
      '**More Actions → Send an Update → `decide`**, signed in as yourself, with this Data:',
      '',
      '```json',
      JSON.stringify(data),
      '```',
      '',
      'To reject, make it `"decision": "reject", "reason": "…"`; to ask for changes, `"decision": "request-changes",',
      '"feedback": "…"`. Your login is who decides: no key, no terminal.',
    ];
  }
  if (!plan?.signatures?.required) {
    return [
      '#### How to decide',
      '',
      '**More Actions → Send an Update → `decide`**, with this Data (your roster id filled in), then press Tab before',
      'Submit:',
      '',
      '```json',
      '{',
      '  "decision": "approve",',
      '  "approver": "<your roster id>",',
      '  "contentHash":',
      `    "${pending.contentHash}"`,
      '}',
      '```',
      '',
      '`reject` needs `"reason"`, `request-changes` needs `"feedback"`.',
    ];
  }
  return [
    '#### How to decide',
    '',
    'Decisions on this campaign are **signed**. Run, with your roster id:',
    '',
    '```sh',
    `npx campaign sign ${commandId(campaignId)} \\`,
    '  --as <your roster id> \\',
    '  --decision approve \\',
    '  --content-hash \\',
    `  ${pending.contentHash}`,
    '```',
    '',
    'Then **More Actions → Send an Update → `decide`**, paste its output as Data within 5 minutes, press Tab, and',
    'Submit. (`--decision reject --note "why"` or `--decision request-changes --note "what"` for the others.)',
  ];
}

/** The budget a step reached, and the command that raises it or stops the campaign. */
function budgetSection(campaignId: string, budget: BudgetStatus): string[] {
  const needs = budget.spentEur + budget.neededEur;
  return [
    `### Model budget reached · ${budget.step}`,
    '',
    `Spent €${budget.spentEur.toFixed(4)} of €${budget.limitEur.toFixed(4)}; the next call could cost up to`,
    `€${budget.neededEur.toFixed(4)}, so at least €${needs.toFixed(4)} are needed.`,
    '',
    'An approver in the plan raises the budget (signed) or stops the campaign:',
    '',
    '```sh',
    `npx campaign budget ${commandId(campaignId)} \\`,
    '  --as <your roster id> --raise <EUR>',
    `npx campaign budget ${commandId(campaignId)} \\`,
    '  --as <your roster id> --stop --reason "why"',
    '```',
    '',
    '(or send the **budgetDecision** Update with the JSON `npx campaign budget … --print` prints).',
  ];
}

/** How the campaign ended: the outcome, who decided on which content and when, the package, the audit head. */
function finalSection({ outcome, decisions, auditHead }: FinalState): string[] {
  const who = decisions.map((d) => `- ${md(d.approver)}: ${d.decision}, ${timeText(d.decidedAt)}`);
  const common = ['', '**Audit head:**', '', '```', auditHead, '```'];
  if (outcome.kind === 'published') {
    return [
      '### Outcome: published',
      '',
      `**Approved by** ${outcome.approvedBy.map(md).join(', ')}:`,
      '',
      ...who,
      '',
      '**Content hash:**',
      '',
      '```',
      outcome.contentHash,
      '```',
      '',
      `**Package:** ${codeSpan(outcome.outboxPath)}`,
      ...common,
    ];
  }
  return [
    '### Outcome: rejected',
    '',
    `**By:** ${outcome.rejectedBy ? md(outcome.rejectedBy) : 'nobody (no decision in time)'}  `,
    `**Reason:** ${md(outcome.reason)}`,
    '',
    ...who,
    ...common,
  ];
}

/** A workflow id is whatever its starter chose; only a plain one goes into a command to copy. */
function commandId(campaignId: string): string {
  return /^[\w.-]{1,200}$/.test(campaignId) ? campaignId : '<campaign id>';
}
