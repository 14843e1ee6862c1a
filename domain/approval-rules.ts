import { approverTexts } from './approver-texts';
import type { ApprovalPlan, ReviewFinding } from './campaign';
import type { Decision } from './decision';

/**
 * What the approval gate knows when a decision arrives. The gate builds it from its own state; the inbox rebuilds it
 * from a campaign's memo, so both answer "who may decide" with the same rules.
 */
export interface GateState {
  plan: ApprovalPlan;
  requestedBy: string | undefined;
  /** The request waiting for a decision; null when none waits (not yet, or already decided). */
  pending: { round: number; contentHash: string; findings: ReviewFinding[]; approvedBy: string[] } | null;
  /** Change requests accepted so far in this campaign. */
  changesUsed: number;
}

/** The people a decision may come from: those the plan names, never the campaign's requester. */
export interface Deciders {
  eligible: readonly string[];
  requestedBy: string | undefined;
}

/** Where a person is refused as decider, which sets the words: the content's gate, the budget's, the publisher's. */
export type DecidingOn = 'content' | 'budget' | 'evidence';

/**
 * Why `person` may not decide at all (the requester, or not in the plan), in the words for `on`; null if they may.
 * The gates answer the approver who just sent a decision, in the brand's language (`locale`), and say what the plan
 * allows; the publisher lists the approvals it discounted for the auditor, so it says only why.
 */
export function deciderRefusal(person: string, deciders: Deciders, on: DecidingOn, locale?: string): string | null {
  const requester = person === deciders.requestedBy;
  if (!requester && deciders.eligible.includes(person)) return null;
  if (on === 'evidence') return `${person} ${requester ? 'requested the campaign' : 'is not an approver in the plan'}`;
  const { refusal } = approverTexts(locale);
  if (requester) return on === 'budget' ? refusal.requesterBudget(person) : refusal.requester(person);
  return refusal.outsider(person, deciders.eligible.join(', '));
}

/** Everyone who may come to decide on a campaign: the plan's approvers, then the backups who join after the SLA. */
export function approversWithBackups(plan: ApprovalPlan): string[] {
  return [...plan.eligibleApprovers, ...(plan.escalation?.backups ?? [])];
}

/** Why the gate refuses `decision` in `state`, as the approver reads it; null when the gate accepts it. */
export function refusalOf(state: GateState, decision: Decision): string | null {
  const { plan, requestedBy, pending } = state;
  const { approver } = decision;
  const { refusal } = approverTexts(plan.locale);
  if (!pending) return refusal.nothingPending;
  if (decision.contentHash !== pending.contentHash) return refusal.otherContent(pending.round);
  const outsider = deciderRefusal(approver, { eligible: plan.eligibleApprovers, requestedBy }, 'content', plan.locale);
  if (outsider) return outsider;
  if (plan.signatures?.required && !plan.signatures.keys[approver] && !plan.signatures.logins?.[approver]) {
    return refusal.noKey(approver);
  }
  if (pending.approvedBy.includes(approver)) return refusal.alreadyApproved(approver);
  switch (decision.decision) {
    case 'approve':
      return approvalRefusal(plan, pending, approver);
    case 'request-changes':
      return state.changesUsed >= plan.maxChangeRounds ? refusal.changeRoundsUsed(plan.maxChangeRounds) : null;
    case 'reject':
      return null;
    default:
      return decision satisfies never;
  }
}

/** Approvers in the plan the gate would hear now (a rejection or a change request): nobody when nothing waits. */
export function mayDecide(state: GateState): string[] {
  const hash = state.pending?.contentHash ?? '';
  return state.plan.eligibleApprovers.filter(
    (approver) =>
      refusalOf(state, { decision: 'reject', approver, contentHash: hash, reason: 'who may decide' }) === null,
  );
}

/** Who decides on a campaign's model budget: every approver in the plan but the requester. */
export function mayDecideBudget(plan: ApprovalPlan, requestedBy: string | undefined): string[] {
  const deciders = { eligible: plan.eligibleApprovers, requestedBy };
  return plan.eligibleApprovers.filter((id) => deciderRefusal(id, deciders, 'budget') === null);
}

/** Approvers whose approval the gate would accept next: nobody while a blocking finding stands. */
export function mayApprove(state: GateState): string[] {
  const hash = state.pending?.contentHash ?? '';
  return state.plan.eligibleApprovers.filter(
    (approver) => refusalOf(state, { decision: 'approve', approver, contentHash: hash }) === null,
  );
}

/** The approval rules proper: no blocking finding, and the approval that completes the count includes a required signer. */
function approvalRefusal(
  plan: ApprovalPlan,
  pending: NonNullable<GateState['pending']>,
  approver: string,
): string | null {
  const { refusal } = approverTexts(plan.locale);
  const blocking = pending.findings.filter((f) => f.blocking).length;
  if (blocking > 0) return refusal.blocking(blocking);
  const signers = [...pending.approvedBy, approver];
  const completes = signers.length >= plan.requiredApprovals;
  if (completes && plan.mustInclude.length > 0 && !signers.some((id) => plan.mustInclude.includes(id))) {
    return refusal.mustInclude(plan.mustInclude.join(', '));
  }
  return null;
}
