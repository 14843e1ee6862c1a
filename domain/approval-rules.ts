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

const notInPlan = (eligible: readonly string[]) =>
  `is not an approver in this campaign's plan (${eligible.join(', ')})`;

// The gates answer the approver who just sent a decision, so they say what the plan allows; the publisher lists the
// approvals it discounted, so it says only why.
const DECIDER_REFUSALS = {
  content: { requester: 'requested this campaign and may not decide on it', outsider: notInPlan },
  budget: { requester: 'requested this campaign and may not decide on its budget', outsider: notInPlan },
  evidence: { requester: 'requested the campaign', outsider: () => 'is not an approver in the plan' },
} as const;

/** Where a person is refused as decider, which sets the words: the content's gate, the budget's, the publisher's. */
export type DecidingOn = keyof typeof DECIDER_REFUSALS;

/** Why `person` may not decide at all (the requester, or not in the plan), in the words for `on`; null if they may. */
export function deciderRefusal(person: string, deciders: Deciders, on: DecidingOn): string | null {
  const words = DECIDER_REFUSALS[on];
  if (person === deciders.requestedBy) return `${person} ${words.requester}`;
  if (!deciders.eligible.includes(person)) return `${person} ${words.outsider(deciders.eligible)}`;
  return null;
}

/** Everyone who may come to decide on a campaign: the plan's approvers, then the backups who join after the SLA. */
export function approversWithBackups(plan: ApprovalPlan): string[] {
  return [...plan.eligibleApprovers, ...(plan.escalation?.backups ?? [])];
}

/** Why the gate refuses `decision` in `state`, as the approver reads it; null when the gate accepts it. */
export function refusalOf(state: GateState, decision: Decision): string | null {
  const { plan, requestedBy, pending } = state;
  const { approver } = decision;
  if (!pending) return 'no approval is pending for this campaign';
  if (decision.contentHash !== pending.contentHash) {
    return `contentHash does not match the content awaiting approval (round ${pending.round}); reload Current Details`;
  }
  const outsider = deciderRefusal(approver, { eligible: plan.eligibleApprovers, requestedBy }, 'content');
  if (outsider) return outsider;
  if (plan.signatures?.required && !plan.signatures.keys[approver]) {
    return `${approver} has no signing key in this campaign's plan, so their decision cannot be verified`;
  }
  if (pending.approvedBy.includes(approver)) return `${approver} has already approved this content`;
  switch (decision.decision) {
    case 'approve':
      return approvalRefusal(plan, pending, approver);
    case 'request-changes':
      return state.changesUsed >= plan.maxChangeRounds
        ? `all ${plan.maxChangeRounds} change rounds are used; approve or reject`
        : null;
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
  const blocking = pending.findings.filter((f) => f.blocking).length;
  if (blocking > 0) return `the content has ${blocking} blocking review finding(s); request changes or reject`;
  const signers = [...pending.approvedBy, approver];
  const completes = signers.length >= plan.requiredApprovals;
  if (completes && plan.mustInclude.length > 0 && !signers.some((id) => plan.mustInclude.includes(id))) {
    return `one of the approvals must come from: ${plan.mustInclude.join(', ')}`;
  }
  return null;
}
