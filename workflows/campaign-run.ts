import { HandlerUnfinishedPolicy, type SearchAttributeUpdatePair } from '@temporalio/common';
import {
  condition,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { mayDecideBudget } from '../domain/approval-rules';
import type { Actor, AuditEvent, PolicyRecord } from '../domain/audit';
import type { BudgetStatus } from '../domain/budget-decision';
import type {
  ApprovalPlan,
  ApprovalRequest,
  CampaignInput,
  CampaignOutcome,
  CampaignResult,
  ModelUsage,
  Provenance,
} from '../domain/campaign';
import { DSSE } from '../domain/decision-envelope';
import { hashOf } from '../domain/hash';
import { CampaignInbox, CampaignRisk, CampaignStage } from '../domain/search-attributes';
import { STEPS, type Stage, type StepName } from '../domain/steps';
import { addUsage, NO_USAGE, type UsageReport } from '../domain/usage';
import { ApprovalGate, type GateOutcome } from './approval-gate';
import { AuditChain } from './audit-chain';
import { BudgetGate, BudgetStopped, budgetExceeded } from './budget-gate';
import { type ChangeRequest, type FinalDecision, type FinalState, renderDetails } from './details';
import { runActivity, type StepInput, type StepOutput, storeAudit } from './governed-steps';
import {
  auditTrailQuery,
  type CampaignMemo,
  campaignStateQuery,
  decisionEnvelopesQuery,
  gateOpenedUpdate,
} from './messages';
import { tell } from './notices';
import { type CampaignPatches, patchesOfThisRun } from './patches';
import { provenanceOf, stepDetail } from './step-evidence';

/** The state one campaign keeps in its workflow, and how it is shown to the UI, the CLI and the audit trail. */
export class CampaignRun {
  readonly audit = new AuditChain();
  private stage: Stage = 'planning';
  /** The step under way, named in the audit event if it fails. */
  private current: StepName | 'approval' = 'plan';
  private plan: ApprovalPlan | null = null;
  /** The plan exactly as our planner made it (escalation adds to `plan` later), and its hash, once fixed. */
  private planAsMade: ApprovalPlan | null = null;
  private planHash = '';
  private changeRequest: ChangeRequest | null = null;
  private approvalGate: ApprovalGate | undefined;
  /** Where a step that reached the budget waits for an approver; only in campaigns with the budget-gate patch. */
  private budgetGate: BudgetGate | undefined;
  private readonly usageByStep: Record<string, ModelUsage> = {};
  /** What this run does differently from campaigns started before each patch. */
  readonly patches: CampaignPatches;
  /** How many audit events the audit store has so far (campaigns with the audit-store patch). */
  private stored = 0;
  /** What the search attributes and the memo show now, so unchanged values are not written again. */
  private readonly shown: { stage: unknown; risk: unknown; memo: string | undefined; budget: boolean; inbox: string };
  private closed = false;
  /** How the campaign ended, once it has: shown in Current Details. */
  private final: FinalState | null = null;

  constructor(private readonly input: CampaignInput) {
    this.patches = patchesOfThisRun();
    const attributes = workflowInfo().typedSearchAttributes;
    this.shown = {
      stage: attributes.get(CampaignStage),
      risk: attributes.get(CampaignRisk),
      memo: undefined,
      budget: false,
      inbox: '',
    };
    setHandler(
      campaignStateQuery,
      () => ({
        stage: this.stage,
        requestedBy: input.requestedBy,
        plan: this.plan,
        pending: this.approvalGate?.pending ?? null,
        auditHead: this.audit.head,
        usage: this.usage(),
        budget: this.budgetGate?.pending ?? null,
        runId: workflowInfo().runId,
        planHash: this.planHash || null,
      }),
      { description: 'Stage, approval plan, the content awaiting a decision, and a budget reached.' },
    );
    setHandler(auditTrailQuery, () => this.audit.events, { description: 'Every audit event so far, hash-chained.' });
    setHandler(decisionEnvelopesQuery, () => [DSSE], {
      description: 'The signature envelopes decisions on this campaign may come in (dsse: in-toto in DSSE).',
    });
    setHandler(
      gateOpenedUpdate,
      async ({ round }) => {
        await condition(() => (this.approvalGate?.pending?.round ?? 0) >= round || this.closed);
        return this.approvalGate?.pending ?? null;
      },
      {
        description:
          'Completes when the approval gate shows round `round` (or the campaign ends): a wait without polling.',
        // A client that waits on a campaign which ends first learns it from the failed Update; nothing to finish.
        unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON,
      },
    );
    this.audit.append({
      step: 'start',
      actor: { kind: 'person', id: input.requestedBy, establishedBy: 'start request' },
      action: 'request',
      outcome: 'ok',
      inputHash: hashOf(input.brief),
    });
  }

  /**
   * Runs one step of the catalogue: enters its stage, runs its activity behind the policy check, and records the
   * audit event with the policy that allowed it and the model that answered.
   */
  async step<S extends StepName>(name: S, input: StepInput<S>): Promise<StepOutput<S>> {
    const spec = STEPS[name];
    for (;;) {
      this.current = name;
      this.enter(spec.stage);
      const local = this.patches.leanHistory && spec.profile === 'local';
      // The events the store lacks ride along, so a raise of the budget is there before the call it pays for. Not with
      // a local activity in campaigns with receipts: a workflow task retried after its worker died makes them again,
      // with another time, and the store would refuse the second version; the next scheduled step carries them.
      const carries = this.patches.budgetGate && !(this.patches.receipts && local);
      const audit = carries ? this.audit.events.slice(this.stored) : undefined;
      try {
        const { output, policy, audited } = await runActivity(name, input, {
          local,
          audit,
          patches: this.patches,
        });
        this.stored += audit?.length ?? 0;
        this.recordStep(name, {
          input: spec.auditedInput(input as never),
          output: audited,
          policy,
          provenance: provenanceOf(output),
        });
        return output;
      } catch (err) {
        const status = this.budgetGate ? budgetExceeded(err) : null;
        if (!status) throw err;
        await this.waitForBudget(status);
      }
    }
  }

  /** Shows the budget a step reached and waits for an approver to raise it; throws {@link BudgetStopped} otherwise. */
  private async waitForBudget(status: BudgetStatus): Promise<void> {
    const gate = this.budgetGate as BudgetGate;
    const decided = gate.decide(status);
    this.enter('awaiting-budget');
    const decision = await decided;
    switch (decision.decision) {
      case 'raise':
        return;
      case 'stop':
        throw new BudgetStopped(decision.approver, `stopped at the model budget: ${decision.reason}`);
      case 'expired':
        throw new BudgetStopped(
          null,
          `the model budget was reached and nobody raised it within ${gate.deadlineHours} h`,
        );
      default:
        return decision satisfies never;
    }
  }

  /** Fixes the approval plan in history and opens the approval gate with it. */
  fixPlan(plan: ApprovalPlan): void {
    this.plan = plan;
    // A copy the gate's escalation never touches: what decisions are signed for and the publisher is shown.
    this.planAsMade = JSON.parse(JSON.stringify(plan)) as ApprovalPlan;
    this.planHash = hashOf(plan);
    // Lean histories show the risk with the next stage, in one search-attribute update.
    if (!this.patches.leanHistory) upsertSearchAttributes([{ key: CampaignRisk, value: plan.risk }]);
    this.approvalGate = new ApprovalGate({
      plan,
      requestedBy: this.input.requestedBy,
      audit: this.audit,
      onChange: () => this.enter(this.stage),
      patches: this.patches,
      planHash: this.planHash,
    });
    if (this.patches.budgetGate) {
      this.budgetGate = new BudgetGate({
        plan,
        requestedBy: this.input.requestedBy,
        audit: this.audit,
        planHash: this.planHash,
        patches: this.patches,
      });
    }
  }

  /** Shows `request` at the approval gate and waits for the approvers' decision (or the deadline). */
  async decide(request: ApprovalRequest): Promise<GateOutcome> {
    if (!this.approvalGate) throw new Error('the approval plan must be fixed before the gate opens');
    this.current = 'approval';
    const outcome = this.approvalGate.decide(request);
    this.enter('awaiting-approval');
    return outcome;
  }

  /** Moves to `stage` and updates the search attribute, the memo the inbox reads, and Current Details. */
  enter(stage: Stage): void {
    this.stage = stage;
    const pending = this.approvalGate?.pending ?? null;
    const budget = this.budgetGate?.pending ?? null;
    const memo: CampaignMemo = {
      campaign: this.input.brief.campaign,
      requestedBy: this.input.requestedBy,
      plan: this.plan,
      pending,
      usage: this.usage().total,
      // Only campaigns that can wait at the budget carry the field, so older histories keep their memo.
      ...(this.budgetGate ? { budget } : {}),
      // Campaigns with receipts show what decisions are signed for: their run and the plan's hash.
      ...(this.patches.receipts ? { runId: workflowInfo().runId, planHash: this.planHash } : {}),
    };
    if (this.patches.leanHistory) this.showChanges(stage, memo);
    else {
      upsertSearchAttributes([{ key: CampaignStage, value: stage }]);
      upsertMemo({ ...memo });
    }
    const { workflowId } = workflowInfo();
    setCurrentDetails(
      renderDetails({
        campaignId: workflowId,
        campaign: this.input.brief.campaign,
        stage,
        plan: this.plan,
        pending,
        mayDecide: this.approvalGate?.mayDecide() ?? [],
        budget,
        usage: this.usage(),
        final: this.final,
        now: Date.now(),
        ...(this.patches.receipts ? { binding: { runId: workflowInfo().runId, planHash: this.planHash } } : {}),
        changeRequest: this.changeRequest,
      }),
    );
  }

  /** The round an approver just sent back, for the next round's details. */
  rememberChangeRequest(request: ChangeRequest): void {
    this.changeRequest = request;
  }

  /** The last change request, as the reviewer checks the new copy against it. */
  get lastChangeRequest(): { by: string; feedback: string; variants: ChangeRequest['variants'] } | null {
    const request = this.changeRequest;
    return request ? { by: request.by, feedback: request.feedback, variants: request.variants } : null;
  }

  /**
   * Writes the search attributes that changed, in one update, and the memo when the approval it shows changed (the
   * inbox reads the memo only while a campaign waits at the gate); Current Details, which cost no history, always.
   */
  private showChanges(stage: Stage, memo: CampaignMemo): void {
    const changed: SearchAttributeUpdatePair[] = [];
    if (stage !== this.shown.stage) changed.push({ key: CampaignStage, value: stage });
    const inbox = this.inbox(stage);
    if (inbox && inbox.join(',') !== this.shown.inbox) {
      changed.push({ key: CampaignInbox, value: inbox });
      this.shown.inbox = inbox.join(',');
    }
    if (this.plan && this.plan.risk !== this.shown.risk) changed.push({ key: CampaignRisk, value: this.plan.risk });
    if (changed.length > 0) {
      upsertSearchAttributes(changed);
      this.shown.stage = stage;
      this.shown.risk = this.plan?.risk ?? this.shown.risk;
    }
    // The plan is fixed before the gate opens, so round, content and approvals say all the memo shows; and the budget
    // a step waits at, or waited at until now.
    const { pending, budget } = memo;
    const approval = pending ? `${pending.round}:${pending.contentHash}:${pending.approvedBy.join(',')}` : '';
    const waiting = budget ? `${budget.step}:${budget.spentEur}:${budget.limitEur}` : '';
    if (!approval && !waiting && !this.shown.budget) return;
    // Backups joining change who may decide, so the approvers are part of what the memo shows.
    const shows = `${approval}|${waiting}|${this.plan?.eligibleApprovers.join(',') ?? ''}`;
    if (shows === this.shown.memo) return;
    upsertMemo({ ...memo });
    this.shown.memo = shows;
    this.shown.budget = waiting !== '';
  }

  /**
   * The inbox tokens of the people who may decide at `stage`: at the approval gate those the gate would hear, at the
   * budget gate every approver but the requester, otherwise nobody. Null for plans made before inboxes existed.
   */
  private inbox(stage: Stage): string[] | null {
    const tokens = this.plan?.inbox;
    if (!tokens) return null;
    let people: string[] = [];
    if (stage === 'awaiting-approval') people = this.approvalGate?.mayDecide() ?? [];
    else if (stage === 'awaiting-budget' && this.plan) people = mayDecideBudget(this.plan, this.input.requestedBy);
    return people.flatMap((id) => (tokens[id] ? [tokens[id]] : []));
  }

  /** Tokens and cost per step and for the campaign so far. */
  usage(): UsageReport {
    return { byStep: { ...this.usageByStep }, total: Object.values(this.usageByStep).reduce(addUsage, NO_USAGE) };
  }

  /** Records the step under way as failed (a policy denial, exhausted retries) before the failure ends the workflow. */
  async recordFailure(error: unknown): Promise<void> {
    const message =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    this.audit.append({
      step: this.current,
      actor: { kind: 'system', id: 'workflow', establishedBy: 'workflow' },
      action: 'fail',
      outcome: 'failed',
      detail: { message },
    });
    this.closed = true;
    this.enter('failed');
    try {
      await this.flushAudit();
    } catch {
      // The store may refuse this run altogether (a run the planner never bound); the failure that ended it is what
      // the caller needs to read, and the worker side's receipts already hold every step that ran.
    }
  }

  /** What the publisher is shown to match against its receipts (campaigns with receipts): the plan as made. */
  get madePlan(): ApprovalPlan | null {
    return this.planAsMade;
  }

  /** Ends the campaign with `outcome` and the audit trail. */
  async finish(outcome: CampaignOutcome): Promise<CampaignResult> {
    this.closed = true;
    // The requester hears how it ended; the final state shows the trail with that notice in it.
    if (this.patches.notices) {
      const locale = this.plan?.locale;
      await tell(
        { kind: outcome.kind, to: [this.input.requestedBy], ...(locale ? { locale } : {}) },
        this.audit,
        this.patches,
      );
    }
    this.final = { outcome, decisions: this.deciding(outcome), auditHead: this.audit.head };
    this.enter(outcome.kind === 'published' ? 'published' : 'rejected');
    await this.flushAudit();
    return { outcome, auditHead: this.audit.head, audit: this.audit.events, usage: this.usage() };
  }

  /** The accepted decisions that ended the campaign: the approvals of the published content, or the rejection. */
  private deciding(outcome: CampaignOutcome): FinalDecision[] {
    return this.audit.events
      .filter((e) => e.step === 'approval' && e.outcome === 'ok' && (e.action === 'approve' || e.action === 'reject'))
      .filter((e) => {
        const detail = (e.detail ?? {}) as { contentHash?: string };
        return outcome.kind === 'published'
          ? e.action === 'approve' && detail.contentHash === outcome.contentHash
          : e.action === 'reject' && e.actor.id === outcome.rejectedBy;
      })
      .map((e) => ({
        approver: e.actor.id,
        decision: e.action,
        decidedAt: String((e.detail as { decidedAt?: string } | undefined)?.decidedAt ?? e.at),
      }));
  }

  /** Hands the store the events no step has carried yet (decisions, the last step); one recorder activity. */
  private async flushAudit(): Promise<void> {
    if (!this.patches.auditStore || this.stored === this.audit.events.length) return;
    const pending = this.audit.events.slice(this.stored);
    await storeAudit(pending, this.patches);
    this.stored += pending.length;
  }

  /** Records an agent's completed step: hashes of what went in and out, the policy that allowed it, the model. */
  private recordStep(name: StepName, { input, output, policy, provenance }: StepRecord): void {
    const { agent, auditAction } = STEPS[name];
    const actor: Actor = { kind: 'agent', id: agent, establishedBy: 'worker task queue' };
    const model = provenance && {
      provider: provenance.provider,
      model: provenance.model,
      promptTemplateHash: provenance.promptTemplateHash,
    };
    let usage: AuditEvent['usage'];
    if (provenance?.usage) {
      const { latencyMs: _, ...billed } = provenance.usage;
      usage = billed;
      this.usageByStep[name] = addUsage(this.usageByStep[name] ?? NO_USAGE, provenance.usage);
    }
    this.audit.append({
      step: name,
      actor,
      action: auditAction,
      outcome: 'ok',
      inputHash: hashOf(input),
      outputHash: hashOf(output),
      policy,
      model,
      usage,
      privacy: provenance?.privacy,
      // What the reviewer found, and what was screened as injected instructions, is evidence in its own right.
      detail: this.patches.auditStore ? stepDetail(output, provenance) : undefined,
    });
  }
}

/** What the audit event of one completed step is made from. */
interface StepRecord {
  /** The audited part of the activity's input. */
  input: unknown;
  /** The activity's result. */
  output: unknown;
  policy: PolicyRecord | undefined;
  provenance: Provenance | undefined;
}
