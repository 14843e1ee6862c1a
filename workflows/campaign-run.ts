import { setCurrentDetails, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { Actor, AuditEvent, PolicyRecord } from '../domain/audit';
import type {
  ApprovalPlan,
  CampaignInput,
  CampaignOutcome,
  CampaignResult,
  ModelUsage,
  Provenance,
  Stage,
} from '../domain/campaign';
import { hashOf } from '../domain/hash';
import { CampaignRisk, CampaignStage } from '../domain/search-attributes';
import { addUsage, NO_USAGE, type UsageReport } from '../domain/usage';
import { ApprovalGate } from './approval-gate';
import { AuditChain } from './audit-chain';
import { renderDetails } from './details';
import { auditTrailQuery, type CampaignMemo, campaignStateQuery } from './messages';

/** The state one campaign keeps in its workflow, and how it is shown to the UI, the CLI and the audit trail. */
export class CampaignRun {
  readonly audit = new AuditChain();
  private stage: Stage = 'planning';
  private plan: ApprovalPlan | null = null;
  private approvalGate: ApprovalGate | undefined;
  private readonly usageByStep: Record<string, ModelUsage> = {};

  constructor(private readonly input: CampaignInput) {
    setHandler(
      campaignStateQuery,
      () => ({
        stage: this.stage,
        requestedBy: input.requestedBy,
        plan: this.plan,
        pending: this.approvalGate?.pending ?? null,
        auditHead: this.audit.head,
        usage: this.usage(),
      }),
      { description: 'Stage, approval plan and the content awaiting a decision.' },
    );
    setHandler(auditTrailQuery, () => this.audit.events, { description: 'Every audit event so far, hash-chained.' });
    this.audit.append({
      step: 'start',
      actor: { kind: 'person', id: input.requestedBy, establishedBy: 'start request' },
      action: 'request',
      outcome: 'ok',
      inputHash: hashOf(input.brief),
    });
  }

  /** Fixes the approval plan in history and opens the approval gate with it. */
  fixPlan(plan: ApprovalPlan): ApprovalGate {
    this.plan = plan;
    upsertSearchAttributes([{ key: CampaignRisk, value: plan.risk }]);
    this.approvalGate = new ApprovalGate(plan, this.input.requestedBy, this.audit, () => this.enter(this.stage));
    return this.approvalGate;
  }

  /** Moves to `stage` and updates the search attribute, the memo the inbox reads, and Current Details. */
  enter(stage: Stage): void {
    this.stage = stage;
    const pending = this.approvalGate?.pending ?? null;
    upsertSearchAttributes([{ key: CampaignStage, value: stage }]);
    const memo: CampaignMemo = {
      campaign: this.input.brief.campaign,
      requestedBy: this.input.requestedBy,
      plan: this.plan,
      pending,
      usage: this.usage().total,
    };
    upsertMemo({ ...memo });
    setCurrentDetails(renderDetails(this.input.brief.campaign, stage, this.plan, pending, this.usage()));
  }

  /** Records an agent's completed step: hashes of what went in and out, the policy that allowed it, the model. */
  recordStep(
    step: string,
    agent: string,
    action: string,
    input: unknown,
    output: unknown,
    provenance?: Provenance,
  ): void {
    const actor: Actor = { kind: 'agent', id: agent, establishedBy: 'worker task queue' };
    const policy = (output as { governance?: PolicyRecord } | null)?.governance;
    const model = provenance && {
      provider: provenance.provider,
      model: provenance.model,
      promptTemplateHash: provenance.promptTemplateHash,
    };
    let usage: AuditEvent['usage'];
    if (provenance?.usage) {
      const { latencyMs: _, ...billed } = provenance.usage;
      usage = billed;
      this.usageByStep[step] = addUsage(this.usageByStep[step] ?? NO_USAGE, provenance.usage);
    }
    this.audit.append({
      step,
      actor,
      action,
      outcome: 'ok',
      inputHash: hashOf(input),
      outputHash: hashOf(output),
      policy,
      model,
      usage,
    });
  }

  /** Tokens and cost per step and for the campaign so far. */
  usage(): UsageReport {
    return { byStep: { ...this.usageByStep }, total: Object.values(this.usageByStep).reduce(addUsage, NO_USAGE) };
  }

  /** Records a step that failed (a policy denial, exhausted retries) before the failure ends the workflow. */
  recordFailure(step: string, error: unknown): void {
    const message =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    this.audit.append({
      step,
      actor: { kind: 'system', id: 'workflow', establishedBy: 'workflow' },
      action: 'fail',
      outcome: 'failed',
      detail: { message },
    });
    this.enter('failed');
  }

  /** Ends the campaign with `outcome` and the audit trail. */
  finish(outcome: CampaignOutcome): CampaignResult {
    this.enter(outcome.kind === 'published' ? 'published' : 'rejected');
    return { outcome, auditHead: this.audit.head, audit: this.audit.events, usage: this.usage() };
  }
}
