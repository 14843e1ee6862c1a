import { condition, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { type GateState, mayDecide, refusalOf } from '../domain/approval-rules';
import { approverTexts } from '../domain/approver-texts';
import type { ApprovalPlan, ApprovalRequest } from '../domain/campaign';
import { type Decision, type DecisionReceipt, decisionSchema } from '../domain/decision';
import { identityRefusal, proofOf } from '../domain/decision-identity';
import { bindingRefusal, freshnessRefusal, noteOf } from '../domain/signatures';
import type { AuditChain } from './audit-chain';
import { decidingPerson, refused } from './decision-records';
import { recordDecision, sendReminder } from './governed-steps';
import { DECIDE_DESCRIPTION, DECIDE_SIGNAL_DESCRIPTION, decideSignal, decideUpdate } from './messages';
import { tell } from './notices';
import type { CampaignPatches } from './patches';

/** How one round at the gate ended. */
export type GateOutcome =
  | { kind: 'approved'; approvedBy: string[]; approvals: Decision[] }
  | { kind: 'rejected'; by: string; reason: string }
  | { kind: 'changes-requested'; by: string; feedback: string }
  | { kind: 'expired'; deadline: string };

/** What an approval gate works with: the campaign's plan, requester and audit chain, and the run's patches. */
export interface ApprovalGateOptions {
  plan: ApprovalPlan;
  requestedBy: string;
  audit: AuditChain;
  /** Runs after an accepted decision that leaves the request open (a first of two approvals), and when backups join. */
  onChange: () => void;
  /** With the escalation patch the plan's SLA timer runs for every request; with role queues reminders go to `-data`. */
  patches: Pick<CampaignPatches, 'escalation' | 'roleQueues' | 'receipts' | 'notices' | 'leanCommands'>;
  /** The hash of the plan as our planner made it, which decisions of campaigns with receipts are signed for. */
  planHash: string;
}

const HOUR_MS = 3_600_000;
/** Refused Signals written to the audit trail per approval request (or before the first); more are only logged. */
const MAX_AUDITED_REFUSALS = 20;

/** Waits for decisions on one approval request at a time, and refuses any that break the plan. */
export class ApprovalGate {
  private request: ApprovalRequest | undefined;
  private deadline: Date | undefined;
  private approvals: Decision[] = [];
  private outcome: GateOutcome | undefined;
  private changesUsed = 0;
  private auditedRefusals = 0;
  /** Signatures already spent: a signed decision takes effect once. */
  private readonly usedSignatures = new Set<string>();

  private readonly plan: ApprovalPlan;
  private readonly requestedBy: string;
  private readonly audit: AuditChain;
  private readonly onChange: () => void;
  private readonly patches: ApprovalGateOptions['patches'];
  private readonly planHash: string;

  constructor(options: ApprovalGateOptions) {
    this.plan = options.plan;
    this.requestedBy = options.requestedBy;
    this.audit = options.audit;
    this.onChange = options.onChange;
    this.patches = options.patches;
    this.planHash = options.planHash;
    setHandler(decideUpdate, (decision) => (this.patches.receipts ? this.record(decision) : this.apply(decision)), {
      description: DECIDE_DESCRIPTION,
      validator: (decision) => {
        this.check(decision);
      },
    });
    // Campaigns with receipts take decisions only as Updates: a Signal lands in history before anything checks it.
    if (!this.patches.receipts) {
      setHandler(decideSignal, (raw) => this.applySignal(raw), { description: DECIDE_SIGNAL_DESCRIPTION });
    }
  }

  /**
   * Has the worker side record the accepted decision (checked again there, against the run's own plan) before it takes
   * effect, so a campaign terminated the moment after keeps it; then applies it, if it still holds.
   */
  private async record(decision: Decision): Promise<DecisionReceipt> {
    await recordDecision({ kind: 'approval', decision }, this.patches);
    return this.apply(this.check(decision, { recorded: true }));
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

  /** The approvers in the plan who may decide now (the same rules as the validator); nobody while nothing waits. */
  mayDecide(): string[] {
    const state = this.state();
    return state.pending ? mayDecide(state) : [];
  }

  /** Shows `request` to the approvers and resolves with their decision, or `expired` at the deadline. */
  async decide(request: ApprovalRequest): Promise<GateOutcome> {
    this.request = request;
    this.approvals = [];
    this.outcome = undefined;
    this.auditedRefusals = 0;
    const total = this.plan.deadlineHours * HOUR_MS;
    this.deadline = new Date(Date.now() + total);
    // Everyone who may decide hears of it now; the gate is open while the notice goes out.
    const told = this.patches.notices
      ? tell(
          {
            kind: 'awaiting-decision',
            round: request.round,
            deadline: this.deadline.toISOString(),
            to: this.mayDecide(),
            ...(this.plan.locale ? { locale: this.plan.locale } : {}),
          },
          this.audit,
          this.patches,
        )
      : null;
    let waited = 0;
    const sla = this.patches.escalation && this.plan.escalation ? this.plan.escalation.slaHours * HOUR_MS : null;
    if (sla !== null && sla < total) {
      const early = await condition(() => this.outcome !== undefined, sla);
      waited = sla;
      if (!early) await this.escalate(request.round);
    }
    const decided = await condition(() => this.outcome !== undefined, total - waited);
    const outcome: GateOutcome =
      decided && this.outcome ? this.outcome : { kind: 'expired', deadline: this.deadline.toISOString() };
    await told;
    this.request = undefined;
    this.deadline = undefined;
    return outcome;
  }

  /**
   * The SLA passed with the request still open: the brand's backups join the plan (in history, by this code, and in
   * the audit trail), everyone who may decide is reminded, and the deadline still holds.
   */
  private async escalate(round: number): Promise<void> {
    const { slaHours, backups } = this.plan.escalation ?? { slaHours: 0, backups: [] };
    const joined = backups.filter((id) => !this.plan.eligibleApprovers.includes(id));
    // The plan object is the campaign's own copy; the memo, Current Details and the budget gate see the new list.
    this.plan.eligibleApprovers = [...this.plan.eligibleApprovers, ...joined];
    this.audit.append({
      step: 'escalation',
      actor: { kind: 'system', id: 'workflow', establishedBy: 'approval SLA timer' },
      action: 'escalate',
      outcome: 'ok',
      detail: { round, slaHours, joined },
    });
    this.onChange();
    const reminder = {
      round,
      deadline: this.deadline?.toISOString() ?? '',
      approvers: this.mayDecide(),
      joined,
    };
    try {
      const { sent, policy } = await sendReminder(reminder, this.patches);
      this.audit.append({
        step: 'escalation',
        actor: { kind: 'agent', id: 'notifier', establishedBy: 'worker task queue' },
        action: 'notify.send',
        outcome: 'ok',
        policy,
        detail: { round, to: reminder.approvers, via: sent },
      });
    } catch (err) {
      // A reminder that cannot go out is evidence too; the campaign waits on regardless.
      this.audit.append({
        step: 'escalation',
        actor: { kind: 'system', id: 'workflow', establishedBy: 'workflow' },
        action: 'notify.send',
        outcome: 'failed',
        detail: {
          round,
          message: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err),
        },
      });
    }
  }

  /** The Signal form: the same checks; a refusal is audited (while something is pending) and otherwise ignored. */
  private applySignal(raw: unknown): void {
    try {
      this.apply(this.check(raw));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      log.warn('decision signal refused', { reason });
      if (this.auditedRefusals >= MAX_AUDITED_REFUSALS) return;
      this.auditedRefusals += 1;
      this.audit.append({
        step: 'approval',
        actor: { kind: 'person', id: approverOf(raw), establishedBy: 'self-declared via Signal' },
        action: 'decide',
        outcome: 'refused',
        detail: { reason },
      });
    }
  }

  /**
   * Throws, with a message for the approver, unless `raw` is a decision the plan allows right now. After it was
   * recorded (`recorded`), its signature is known to the store, so only the gate's own state is checked again.
   */
  private check(raw: unknown, options: { recorded?: boolean } = {}): Decision {
    const parsed = decisionSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw refused(`decision.${issue?.path.join('.') || 'decision'}: ${issue?.message ?? 'invalid'}`);
    }
    const decision = parsed.data;
    const reason = refusalOf(this.state(), decision) ?? (options.recorded ? null : this.authenticityRefusal(decision));
    if (reason !== null) throw refused(reason);
    return decision;
  }

  /**
   * Whether the decision is the approver's own and fresh: signed by their key from the plan when the plan requires it
   * (or whenever a signature is given), not used before, and made within minutes of arriving.
   */
  private authenticityRefusal(decision: Decision): string | null {
    const signatures = this.plan.signatures;
    const proof = proofOf(decision);
    if (proof && this.usedSignatures.has(proof)) {
      return 'this signed decision was already used; sign a new one';
    }
    if (signatures?.required || proof) {
      const forged = identityRefusal(workflowInfo().workflowId, decision, signatures);
      if (forged) return forged;
      // Bound to this run and this plan: a decision signed for another run of the id, or another plan, is refused.
      if (this.patches.receipts) {
        const unbound = bindingRefusal(decision, workflowInfo().runId, this.planHash);
        if (unbound) return unbound;
      }
    }
    return decision.decidedAt ? freshnessRefusal(decision.decidedAt, Date.now()) : null;
  }

  /** The gate as the approval rules see it. */
  private state(): GateState {
    const open = this.request && !this.outcome;
    return {
      plan: this.plan,
      requestedBy: this.requestedBy,
      pending: open && this.request ? { ...this.request, approvedBy: this.approvals.map((a) => a.approver) } : null,
      changesUsed: this.changesUsed,
    };
  }

  private apply(decision: Decision): DecisionReceipt {
    const { signature, decidedAt, attestation } = decision;
    const proof = proofOf(decision);
    if (proof) this.usedSignatures.add(proof);
    this.audit.append({
      step: 'approval',
      actor: decidingPerson(decision.approver, signature, attestation),
      action: decision.decision,
      outcome: 'ok',
      // With a signature, the detail holds everything needed to verify it again offline.
      detail: {
        contentHash: decision.contentHash,
        round: this.request?.round,
        note: noteOf(decision),
        decidedAt,
        // Decisions bound to their run and plan carry both, so the signature verifies again offline.
        ...(decision.runId !== undefined ? { runId: decision.runId, planHash: decision.planHash } : {}),
        signature,
        // A decision typed by a logged-in person carries the login service's stamp instead of a signature.
        ...(attestation ? { attestation } : {}),
      },
    });
    switch (decision.decision) {
      case 'approve':
        this.approvals.push(decision);
        if (this.approvals.length >= this.plan.requiredApprovals) {
          this.outcome = {
            kind: 'approved',
            approvedBy: this.approvals.map((a) => a.approver),
            approvals: [...this.approvals],
          };
        }
        break;
      case 'reject':
        this.outcome = { kind: 'rejected', by: decision.approver, reason: decision.reason };
        break;
      case 'request-changes':
        this.changesUsed += 1;
        this.outcome = { kind: 'changes-requested', by: decision.approver, feedback: decision.feedback };
        break;
      default:
        decision satisfies never;
    }
    if (!this.outcome) this.onChange();
    return {
      accepted: true,
      decision: decision.decision,
      approvalsSoFar: this.approvals.length,
      approvalsRequired: this.plan.requiredApprovals,
      contentHash: decision.contentHash,
      message: this.whatHappensNext(decision),
    };
  }

  /** The receipt's sentence: what the decision changed, and what the campaign does now. */
  private whatHappensNext(decision: Decision): string {
    const who = decision.approver;
    const { requiredApprovals } = this.plan;
    const t = approverTexts(this.plan.locale);
    switch (decision.decision) {
      case 'approve': {
        const count = t.receipt.count(this.approvals.length, requiredApprovals);
        if (this.outcome) return t.receipt.published(who, count);
        const missing = this.plan.mustInclude.filter((id) => !this.approvals.some((a) => a.approver === id));
        const still = requiredApprovals - this.approvals.length;
        return t.receipt.recorded(who, count, still, missing.join(t.or));
      }
      case 'reject':
        return t.receipt.rejected(who);
      case 'request-changes':
        return t.receipt.changes(who, (this.request?.round ?? 0) + 1);
      default:
        return decision satisfies never;
    }
  }
}

function approverOf(raw: unknown): string {
  const approver = (raw as { approver?: unknown } | null)?.approver;
  return typeof approver === 'string' ? approver.slice(0, 64) : 'unknown';
}
