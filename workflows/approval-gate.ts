import { condition, log, setHandler } from '@temporalio/workflow';
import type { ApprovalPlan, ApprovalRequest } from '../domain/campaign';
import { type Decision, type DecisionReceipt, decisionSchema } from '../domain/decision';
import type { AuditChain } from './audit-chain';
import { DECIDE_DESCRIPTION, DECIDE_SIGNAL_DESCRIPTION, decideSignal, decideUpdate } from './messages';

/** How one round at the gate ended. */
export type GateOutcome =
  | { kind: 'approved'; approvedBy: string[] }
  | { kind: 'rejected'; by: string; reason: string }
  | { kind: 'changes-requested'; by: string; feedback: string }
  | { kind: 'expired'; deadline: string };

const HOUR_MS = 3_600_000;

/** Waits for decisions on one approval request at a time, and refuses any that break the plan. */
export class ApprovalGate {
  private request: ApprovalRequest | undefined;
  private deadline: Date | undefined;
  private approvals: Decision[] = [];
  private outcome: GateOutcome | undefined;

  constructor(
    private readonly plan: ApprovalPlan,
    private readonly requestedBy: string,
    private readonly audit: AuditChain,
  ) {
    setHandler(decideUpdate, (decision) => this.apply(decision), {
      description: DECIDE_DESCRIPTION,
      validator: (decision) => {
        this.check(decision);
      },
    });
    setHandler(
      decideSignal,
      (raw) => {
        try {
          this.apply(this.check(raw));
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          log.warn('decision signal refused', { reason });
          this.audit.append({
            step: 'approval',
            actor: { kind: 'person', id: approverOf(raw), establishedBy: 'self-declared via Signal' },
            action: 'decide',
            outcome: 'refused',
            detail: { reason },
          });
        }
      },
      { description: DECIDE_SIGNAL_DESCRIPTION },
    );
  }

  /** What waits for a decision now, if anything. */
  get pending() {
    if (!this.request || !this.deadline) return null;
    return {
      ...this.request,
      approvedBy: this.approvals.map((a) => a.approver),
      deadline: this.deadline.toISOString(),
    };
  }

  /** Shows `request` to the approvers and resolves with their decision, or `expired` at the deadline. */
  async decide(request: ApprovalRequest): Promise<GateOutcome> {
    this.request = request;
    this.approvals = [];
    this.outcome = undefined;
    this.deadline = new Date(Date.now() + this.plan.deadlineHours * HOUR_MS);
    const decided = await condition(() => this.outcome !== undefined, this.plan.deadlineHours * HOUR_MS);
    const outcome: GateOutcome =
      decided && this.outcome ? this.outcome : { kind: 'expired', deadline: this.deadline.toISOString() };
    this.request = undefined;
    this.deadline = undefined;
    return outcome;
  }

  /** Throws, with a message for the approver, unless `raw` is a decision the plan allows right now. */
  private check(raw: unknown): Decision {
    const parsed = decisionSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`decision.${issue?.path.join('.') || 'decision'}: ${issue?.message ?? 'invalid'}`);
    }
    const decision = parsed.data;
    const { approver } = decision;
    if (!this.request || this.outcome) throw new Error('no approval is pending for this campaign');
    if (decision.contentHash !== this.request.contentHash) {
      throw new Error(
        `contentHash does not match the content awaiting approval (round ${this.request.round}); reload Current Details`,
      );
    }
    if (approver === this.requestedBy) throw new Error(`${approver} requested this campaign and may not decide on it`);
    if (!this.plan.eligibleApprovers.includes(approver)) {
      throw new Error(
        `${approver} is not an approver in this campaign's plan (${this.plan.eligibleApprovers.join(', ')})`,
      );
    }
    if (this.approvals.some((a) => a.approver === approver))
      throw new Error(`${approver} has already approved this content`);
    const blocking = this.request.findings.filter((f) => f.blocking).length;
    if (decision.decision === 'approve' && blocking > 0) {
      throw new Error(`the content has ${blocking} blocking review finding(s); request changes or reject`);
    }
    if (decision.decision === 'approve' && this.approvals.length + 1 >= this.plan.requiredApprovals) {
      const signers = [...this.approvals.map((a) => a.approver), approver];
      if (this.plan.mustInclude.length > 0 && !signers.some((id) => this.plan.mustInclude.includes(id))) {
        throw new Error(`the last approval must come from one of: ${this.plan.mustInclude.join(', ')}`);
      }
    }
    return decision;
  }

  private apply(decision: Decision): DecisionReceipt {
    this.audit.append({
      step: 'approval',
      actor: {
        kind: 'person',
        id: decision.approver,
        establishedBy: 'self-declared, checked against the approval plan',
      },
      action: decision.decision,
      outcome: 'ok',
      detail: { contentHash: decision.contentHash, round: this.request?.round, note: noteOf(decision) },
    });
    switch (decision.decision) {
      case 'approve':
        this.approvals.push(decision);
        if (this.approvals.length >= this.plan.requiredApprovals) {
          this.outcome = { kind: 'approved', approvedBy: this.approvals.map((a) => a.approver) };
        }
        break;
      case 'reject':
        this.outcome = { kind: 'rejected', by: decision.approver, reason: decision.reason };
        break;
      case 'request-changes':
        this.outcome = { kind: 'changes-requested', by: decision.approver, feedback: decision.feedback };
        break;
      default:
        decision satisfies never;
    }
    return {
      accepted: true,
      decision: decision.decision,
      approvalsSoFar: this.approvals.length,
      approvalsRequired: this.plan.requiredApprovals,
      contentHash: decision.contentHash,
    };
  }
}

function noteOf(decision: Decision): string | undefined {
  switch (decision.decision) {
    case 'approve':
      return decision.comment;
    case 'reject':
      return decision.reason;
    case 'request-changes':
      return decision.feedback;
    default:
      return decision satisfies never;
  }
}

function approverOf(raw: unknown): string {
  const approver = (raw as { approver?: unknown } | null)?.approver;
  return typeof approver === 'string' ? approver.slice(0, 64) : 'unknown';
}
