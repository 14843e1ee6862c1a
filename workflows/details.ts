import { type ApproverTexts, approverTexts } from '../domain/approver-texts';
import type { BudgetStatus } from '../domain/budget-decision';
import type { ApprovalPlan, CampaignOutcome, PendingApproval, ReviewFinding, Variant } from '../domain/campaign';
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
  /** The last change request and the copy it sent back, to show what changed against it. */
  changeRequest?: ChangeRequest | null;
}

/** A round an approver sent back: who, with what request, and the copy as it was. */
export interface ChangeRequest {
  round: number;
  by: string;
  feedback: string;
  variants: Pick<Variant, 'channel' | 'headline' | 'body'>[];
}

/**
 * Renders the Markdown shown as "Current Details" in the Temporal UI, laid out for its narrow panel: one block per
 * variant, nothing wider than a hash. Everything that comes from a brief, a model or a person goes through the
 * Markdown escapes, so copy cannot fake a heading, a hash or an approval on the approver's page.
 */
export function renderDetails(input: DetailsInput): string {
  const { campaign, stage, plan, pending, budget, usage, final } = input;
  // In the brand's language, fixed with the plan; English before the plan is made and for plans without one.
  const t = approverTexts(plan?.locale);
  const lines = [
    `## ${md(campaign)}`,
    '',
    `**${t.stage[stage] ?? stage}** · stage \`${stage}\``,
    '',
    `${t.modelUse}: ${describeUsage(usage.total)}`,
  ];
  if (plan) {
    lines.push('', t.risk(plan.risk, plan.requiredApprovals, plan.mustInclude.map(md).join(t.or)));
  }
  if (final) lines.push('', ...finalSection(final, t));
  if (budget) lines.push('', ...budgetSection(input.campaignId, budget, t));
  if (pending && !final) lines.push('', ...pendingSection(input, pending, t));
  return lines.join('\n');
}

function pendingSection(input: DetailsInput, pending: PendingApproval, t: ApproverTexts): string[] {
  const { plan, mayDecide, now } = input;
  const blocking = pending.findings.filter((f) => f.blocking).length;
  return [
    `### ${t.waiting(pending.round)}`,
    '',
    `**${t.decideBy}** ${timeText(pending.deadline, t.dateLocale)}  `,
    t.left(timeLeft(pending.deadline, now, t.units)),
    '',
    `**${t.approvedSoFar}** ${pending.approvedBy.map(md).join(', ') || t.nobody}` +
      (plan ? ` (${t.ofRequired(pending.approvedBy.length, plan.requiredApprovals)})` : ''),
    '',
    `**${t.mayStillDecide}** ${mayDecide.map(md).join(', ') || t.nobody}`,
    '',
    pending.claims ? t.claims(pending.claims.grounded, pending.claims.total) : t.claimsNotCounted,
    '',
    ...(input.changeRequest ? sinceRequest(input.changeRequest, pending, t) : []),
    ...pending.variants.flatMap((v) => variantBlock(v, pending, t)),
    `#### ${t.findings}`,
    '',
    ...(pending.findings.length === 0 ? [t.none] : pending.findings.map((f) => findingLine(f, t))),
    blocking > 0 ? `\n${t.blockingNote(blocking)}` : '',
    '',
    `#### ${t.contentHash}`,
    '',
    t.boundTo,
    '',
    '```',
    pending.contentHash,
    '```',
    '',
    ...howToDecide(input.campaignId, plan, pending, input.binding, t),
  ];
}

/** The request an approver sent back, and per channel what changed against it. */
function sinceRequest(request: ChangeRequest, pending: PendingApproval, t: ApproverTexts): string[] {
  return [
    `#### ${t.sinceRequest(request.round, md(request.by))}`,
    '',
    `> ${md(request.feedback)}`,
    '',
    ...pending.variants.map((v) => {
      const before = request.variants.find((b) => b.channel === v.channel);
      if (!before) return `- ${t.channel[v.channel] ?? v.channel}: —`;
      const headline =
        before.headline === v.headline ? t.sameHeadline : `${t.changedHeadline} „${md(before.headline)}“`;
      return `- ${t.channel[v.channel] ?? v.channel}: ${headline}; ${before.body === v.body ? t.sameBody : t.changedBody}`;
    }),
    '',
  ];
}

/** One variant: channel, headline, body with its line breaks, and the facts it cites with their text. */
function variantBlock(variant: Variant, pending: PendingApproval, t: ApproverTexts): string[] {
  const facts = new Map((pending.facts ?? []).map((f) => [f.id, f.text]));
  return [
    `#### ${md(variant.id)} · ${t.channel[variant.channel] ?? variant.channel}`,
    '',
    `**${md(variant.headline)}**`,
    '',
    markdownLines(variant.body),
    '',
    variant.factIds.length === 0 ? `_${t.citesNoFacts}_` : `_${t.citedFacts}_`,
    '',
    ...variant.factIds.map((id) => `- ${codeSpan(id)} ${facts.has(id) ? md(facts.get(id) ?? '') : ''}`.trimEnd()),
    '',
  ];
}

function findingLine(finding: ReviewFinding, t: ApproverTexts): string {
  const severity = finding.blocking ? t.blockingTag : t.advisoryTag;
  return `- ${severity} · ${md(finding.variantId)} · ${finding.kind}: ${md(finding.detail)}`;
}

/** The Update to send, and with signed decisions the command that makes its Data; every line fits the panel. */
function howToDecide(
  campaignId: string,
  plan: ApprovalPlan | null,
  pending: PendingApproval,
  binding: DetailsInput['binding'],
  t: ApproverTexts,
): string[] {
  if (plan?.signatures?.logins && binding) {
    // Logged in, the person is who decides: the login service stamps the Data as theirs on its way to Temporal.
    const data = {
      decision: 'approve',
      campaignId,
      runId: binding.runId,
      planHash: binding.planHash,
      contentHash: pending.contentHash,
      // The login service stamps it as an in-toto statement in a DSSE envelope, which this build verifies.
      envelope: 'dsse',
    };
    const [intro, ...others] = t.withLogin;
    return [`#### ${t.howToDecide}`, '', intro ?? '', '', '```json', JSON.stringify(data), '```', '', ...others];
  }
  if (!plan?.signatures?.required) {
    return [
      `#### ${t.howToDecide}`,
      '',
      t.withData,
      '',
      '```json',
      '{',
      '  "decision": "approve",',
      `  "approver": "${t.rosterId}",`,
      '  "contentHash":',
      `    "${pending.contentHash}"`,
      '}',
      '```',
      '',
      t.withDataNotes,
    ];
  }
  return [
    `#### ${t.howToDecide}`,
    '',
    t.signed,
    '',
    '```sh',
    `npx campaign sign ${commandId(campaignId)} \\`,
    `  --as ${t.rosterId} \\`,
    '  --decision approve \\',
    '  --content-hash \\',
    `  ${pending.contentHash}`,
    '```',
    '',
    ...t.signedThen,
  ];
}

/** The budget a step reached, and the command that raises it or stops the campaign. */
function budgetSection(campaignId: string, budget: BudgetStatus, t: ApproverTexts): string[] {
  const needs = budget.spentEur + budget.neededEur;
  const eur = (n: number) => `€${n.toFixed(4)}`;
  return [
    `### ${t.budgetReached(budget.step)}`,
    '',
    ...t.budgetSpent(eur(budget.spentEur), eur(budget.limitEur), eur(budget.neededEur), eur(needs)),
    '',
    t.budgetWho,
    '',
    '```sh',
    `npx campaign budget ${commandId(campaignId)} \\`,
    `  --as ${t.rosterId} --raise <EUR>`,
    `npx campaign budget ${commandId(campaignId)} \\`,
    `  --as ${t.rosterId} --stop --reason "why"`,
    '```',
    '',
    t.budgetUpdate,
  ];
}

/** How the campaign ended: the outcome, who decided on which content and when, the package, the audit head. */
function finalSection({ outcome, decisions, auditHead }: FinalState, t: ApproverTexts): string[] {
  const who = decisions.map(
    (d) => `- ${md(d.approver)}: ${t.decided[d.decision] ?? d.decision}, ${timeText(d.decidedAt, t.dateLocale)}`,
  );
  const common = ['', `**${t.auditHead}**`, '', '```', auditHead, '```'];
  if (outcome.kind === 'published') {
    return [
      `### ${t.outcomePublished}`,
      '',
      `**${t.approvedBy}** ${outcome.approvedBy.map(md).join(', ')}:`,
      '',
      ...who,
      '',
      `**${t.contentHash}:**`,
      '',
      '```',
      outcome.contentHash,
      '```',
      '',
      `**${t.package}** ${codeSpan(outcome.outboxPath)}`,
      ...common,
    ];
  }
  return [
    `### ${t.outcomeRejected}`,
    '',
    `**${t.by}** ${outcome.rejectedBy ? md(outcome.rejectedBy) : t.nobodyInTime}  `,
    `**${t.reason}** ${md(outcome.reason)}`,
    '',
    ...who,
    ...common,
  ];
}

/** A workflow id is whatever its starter chose; only a plain one goes into a command to copy. */
function commandId(campaignId: string): string {
  return /^[\w.-]{1,200}$/.test(campaignId) ? campaignId : '<campaign id>';
}
