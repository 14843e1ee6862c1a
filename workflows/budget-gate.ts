import { ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { deciderRefusal } from '../domain/approval-rules';
import { type BudgetDecision, type BudgetStatus, budgetDecisionSchema } from '../domain/budget-decision';
import type { ApprovalPlan } from '../domain/campaign';
import { Failure } from '../domain/failures';
import { describeProblem } from '../domain/problems';
import { bindingRefusal, budgetSignatureRefusal, freshnessRefusal } from '../domain/signatures';
import type { AuditChain } from './audit-chain';
import { decidingPerson, refused } from './decision-records';
import { recordDecision } from './governed-steps';
import { BUDGET_DESCRIPTION, budgetDecisionUpdate } from './messages';
import type { CampaignPatches } from './patches';

/** Raised out of a step when an approver stops the campaign at its budget; the workflow ends it as rejected. */
export class BudgetStopped extends Error {
  override readonly name = 'BudgetStopped';
  constructor(
    /** The approver who stopped it; null when nobody decided before the deadline. */
    readonly by: string | null,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const HOUR_MS = 3_600_000;

/**
 * Waits, when a model call would go over the campaign's budget, for an approver from the plan to raise the budget or
 * stop the campaign: the same identity rules as the approval gate (in the plan, not the requester, signed where the
 * plan requires it and always for a raise, fresh). A raise goes into the audit trail, where the model gateway finds and
 * verifies it before the next paid call.
 */
export class BudgetGate {
  private waiting: BudgetStatus | null = null;
  private decision: BudgetDecision | undefined;
  private readonly usedSignatures = new Set<string>();

  private readonly plan: ApprovalPlan;
  private readonly requestedBy: string;
  private readonly audit: AuditChain;
  private readonly planHash: string;
  private readonly receipts: boolean;
  private readonly patches: Pick<CampaignPatches, 'receipts' | 'roleQueues' | 'leanCommands'>;

  constructor(options: {
    plan: ApprovalPlan;
    requestedBy: string;
    audit: AuditChain;
    /** The hash of the plan as made; decisions of campaigns with receipts are signed for it. */
    planHash: string;
    patches: Pick<CampaignPatches, 'receipts' | 'roleQueues' | 'leanCommands'>;
  }) {
    this.plan = options.plan;
    this.requestedBy = options.requestedBy;
    this.audit = options.audit;
    this.planHash = options.planHash;
    this.receipts = options.patches.receipts;
    this.patches = options.patches;
    setHandler(budgetDecisionUpdate, (decision) => (this.receipts ? this.record(decision) : this.apply(decision)), {
      description: BUDGET_DESCRIPTION,
      validator: (decision) => {
        this.check(decision);
      },
    });
  }

  /** How long an approver has to decide before the campaign stops. */
  get deadlineHours(): number {
    return this.plan.deadlineHours;
  }

  /** What is waiting for a budget decision, if anything. */
  get pending(): BudgetStatus | null {
    return this.waiting;
  }

  /** Waits for the decision on `status`; without one before the plan's deadline, the campaign stops. */
  async decide(status: BudgetStatus): Promise<BudgetDecision | { decision: 'expired' }> {
    this.waiting = status;
    this.decision = undefined;
    const decided = await condition(() => this.decision !== undefined, this.plan.deadlineHours * HOUR_MS);
    this.waiting = null;
    return decided && this.decision ? this.decision : { decision: 'expired' };
  }

  /** Has the worker side record the accepted decision before it takes effect (see the approval gate's). */
  private async record(decision: BudgetDecision): Promise<{ accepted: true; decision: BudgetDecision['decision'] }> {
    await recordDecision({ kind: 'budget', decision }, this.patches);
    return this.apply(decision);
  }

  private check(raw: unknown): BudgetDecision {
    const parsed = budgetDecisionSchema.safeParse(raw);
    if (!parsed.success) throw refused(describeProblem(parsed.error, 'decision'));
    const decision = parsed.data;
    const { approver } = decision;
    if (!this.waiting) throw refused('no budget decision is pending for this campaign');
    const deciders = { eligible: this.plan.eligibleApprovers, requestedBy: this.requestedBy };
    const outsider = deciderRefusal(approver, deciders, 'budget', this.plan.locale);
    if (outsider) throw refused(outsider);
    if (decision.signature && this.usedSignatures.has(decision.signature.value)) {
      throw refused('this signed decision was already used; sign a new one');
    }
    // A raise spends money, and the model gateway counts only raises whose signature it can verify.
    if (decision.decision === 'raise' || this.plan.signatures?.required || decision.signature) {
      const problem =
        budgetSignatureRefusal(workflowInfo().workflowId, decision, this.plan.signatures?.keys[approver]) ??
        (this.receipts ? bindingRefusal(decision, workflowInfo().runId, this.planHash) : null);
      if (problem) throw refused(problem);
    }
    const stale = freshnessRefusal(decision.decidedAt, Date.now());
    if (stale) throw refused(stale);
    const needs = this.waiting.spentEur + this.waiting.neededEur;
    if (decision.decision === 'raise' && decision.maxCostEur < needs) {
      throw refused(
        `a budget of €${decision.maxCostEur} does not cover the next call: €${needs.toFixed(4)} are needed`,
      );
    }
    return decision;
  }

  private apply(decision: BudgetDecision): { accepted: true; decision: BudgetDecision['decision'] } {
    const { signature, decidedAt } = decision;
    if (signature) this.usedSignatures.add(signature.value);
    this.audit.append({
      step: 'budget',
      actor: decidingPerson(decision.approver, signature),
      action: decision.decision,
      outcome: 'ok',
      detail: {
        ...(decision.decision === 'raise' ? { maxCostEur: decision.maxCostEur } : { reason: decision.reason }),
        decidedAt,
        ...(decision.runId !== undefined ? { runId: decision.runId, planHash: decision.planHash } : {}),
        signature,
        spentEur: this.waiting?.spentEur,
        limitEur: this.waiting?.limitEur,
      },
    });
    this.decision = decision;
    return { accepted: true, decision: decision.decision };
  }
}

/** The budget the gateway refused a call over, from a failed step, if that is why it failed. */
export function budgetExceeded(err: unknown): BudgetStatus | null {
  let cause: unknown = err;
  while (cause instanceof Error) {
    if (cause instanceof ApplicationFailure && cause.type === Failure.BudgetExceeded) {
      return (cause.details?.[0] as BudgetStatus | undefined) ?? null;
    }
    cause = cause.cause;
  }
  return null;
}
