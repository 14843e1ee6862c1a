import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import type { ApprovalPlan, ModelUsage } from '../domain/campaign';
import { CampaignRisk, CampaignStage } from '../domain/search-attributes';
import type { CampaignMemo } from '../workflows/messages';

/** One campaign as the CLI shows it, read from search attributes and memo (no worker needed). */
export interface CampaignView {
  workflowId: string;
  status: string;
  stage: string | null;
  risk: string | null;
  campaign: string | null;
  requestedBy: string | null;
  requiredApprovals: number | null;
  approvedBy: string[];
  /** Approvers in the plan who may still decide (approve, reject or request changes). */
  mayDecide: string[];
  /** Those whose approval the gate would accept next: none while a blocking finding stands. */
  mayApprove: string[];
  contentHash: string | null;
  deadline: string | null;
  /** Model tokens and cost so far. */
  usage: ModelUsage | null;
}

/** Builds the view of one execution from its listing or description. */
export function campaignView(info: WorkflowExecutionInfo | WorkflowExecutionDescription): CampaignView {
  const memo = (info.memo ?? {}) as Partial<CampaignMemo>;
  const pending = memo.pending ?? null;
  const plan = memo.plan ?? null;
  const approvedBy = pending?.approvedBy ?? [];
  const running = info.status.name === 'RUNNING';
  return {
    workflowId: info.workflowId,
    status: info.status.name,
    stage: info.typedSearchAttributes.get(CampaignStage) ?? null,
    risk: info.typedSearchAttributes.get(CampaignRisk) ?? null,
    campaign: memo.campaign ?? null,
    requestedBy: memo.requestedBy ?? null,
    requiredApprovals: plan?.requiredApprovals ?? null,
    approvedBy,
    mayDecide: running && pending && plan ? stillToDecide(plan, memo.requestedBy, approvedBy) : [],
    mayApprove:
      running && pending && plan && !pending.findings.some((f) => f.blocking)
        ? mayApproveNext(plan, memo.requestedBy, approvedBy)
        : [],
    contentHash: pending?.contentHash ?? null,
    deadline: pending?.deadline ?? null,
    usage: memo.usage ?? null,
  };
}

/** Who the gate would accept the next approval from: when it completes the count, only a required signer will do. */
function mayApproveNext(plan: ApprovalPlan, requestedBy: string | undefined, approvedBy: string[]): string[] {
  const open = stillToDecide(plan, requestedBy, approvedBy);
  const completes = approvedBy.length + 1 >= plan.requiredApprovals;
  const needsSigner = plan.mustInclude.length > 0 && !approvedBy.some((id) => plan.mustInclude.includes(id));
  return completes && needsSigner ? open.filter((id) => plan.mustInclude.includes(id)) : open;
}

function stillToDecide(plan: ApprovalPlan, requestedBy: string | undefined, approvedBy: string[]): string[] {
  return plan.eligibleApprovers.filter((id) => id !== requestedBy && !approvedBy.includes(id));
}
