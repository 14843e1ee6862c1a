import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AuditEvent } from '../domain/audit';
import type { BudgetDecision, BudgetStatus } from '../domain/budget-decision';
import type { ApprovalPlan, ModelUsage, PendingApproval } from '../domain/campaign';
import type { Decision, DecisionReceipt } from '../domain/decision';
import type { Stage } from '../domain/steps';
import type { UsageReport } from '../domain/usage';

const DECISION_HELP =
  'Arg: {"decision":"approve"|"reject"|"request-changes","approver":"<roster id>","contentHash":"<hash from Current Details>",' +
  ' "comment"|"reason"|"feedback":"..."}';

/**
 * An approver's decision. This is an Update rather than a Signal because the approver must learn at once whether the
 * decision was accepted: the validator refuses ineligible approvers before anything is written to history.
 */
export const decideUpdate = defineUpdate<DecisionReceipt, [Decision]>('decide');

/** Shown beside the handlers in the UI's Update and Signal dropdowns. */
export const DECIDE_DESCRIPTION = `Approve, reject or request changes. ${DECISION_HELP}`;
export const DECIDE_SIGNAL_DESCRIPTION = `Fire-and-forget form of "decide" (prefer the Update). ${DECISION_HELP}`;

/** The same decision as a Signal, for clients that cannot wait; refused decisions are audited and ignored. */
export const decideSignal = defineSignal<[Decision]>('decideSignal');

/** A decision on a campaign that reached its model budget: raise it, or stop the campaign. */
export const budgetDecisionUpdate = defineUpdate<
  { accepted: true; decision: BudgetDecision['decision'] },
  [BudgetDecision]
>('budgetDecision');

/** Shown beside the handler in the UI's Update dropdown. */
export const BUDGET_DESCRIPTION =
  'Raise the model budget or stop the campaign. Arg: {"decision":"raise","approver":"<roster id>","maxCostEur":<number>,' +
  '"decidedAt":"<ISO time>","signature":{...}} or {"decision":"stop",...,"reason":"..."}; `npx campaign budget` signs it.';

/** Where the campaign stands and what waits for a decision. */
export interface CampaignSnapshot {
  stage: Stage;
  requestedBy: string;
  plan: ApprovalPlan | null;
  pending: PendingApproval | null;
  auditHead: string;
  usage: UsageReport;
  /** The model budget a step waits at, for an approver to raise it or stop the campaign. */
  budget: BudgetStatus | null;
  /** The run, and the hash of its plan as made: what a decision is signed for (campaigns with receipts). */
  runId?: string;
  planHash?: string | null;
}

/** Reads the campaign's current state. */
export const campaignStateQuery = defineQuery<CampaignSnapshot>('campaignState');

/**
 * Completes when the approval gate shows round `round` or later, with what waits there, or with null when the campaign
 * ended first. An Update rather than a polled Query: the client learns at once, and the worker answers once.
 */
export const gateOpenedUpdate = defineUpdate<PendingApproval | null, [{ round: number }]>('waitForGate');

/**
 * The signature envelopes this campaign's build verifies beyond the original format (`dsse`: a decision's in-toto
 * statement in a DSSE envelope). A build from before has no such query, and its decisions are signed as before.
 */
export const decisionEnvelopesQuery = defineQuery<string[]>('decisionEnvelopes');

/** Reads the hash-chained audit trail kept in the workflow. */
export const auditTrailQuery = defineQuery<AuditEvent[]>('auditTrail');

/** What a campaign keeps in its memo, so the inbox and `status` can read it without a running worker. */
export interface CampaignMemo {
  campaign: string;
  requestedBy: string;
  plan: ApprovalPlan | null;
  pending: CampaignSnapshot['pending'];
  usage: ModelUsage;
  /** The budget a step stopped at, while an approver decides; absent otherwise. */
  budget?: BudgetStatus | null;
  /** What decisions are signed for, in campaigns with receipts: the run and the plan's hash. */
  runId?: string;
  planHash?: string;
}
