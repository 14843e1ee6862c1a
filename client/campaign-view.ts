import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import { type GateState, mayApprove, mayDecide } from '../domain/approval-rules';
import type { ModelUsage } from '../domain/campaign';
import { CampaignRisk, CampaignStage } from '../domain/search-attributes';
import type { CampaignMemo } from '../workflows/messages';

/** One campaign as clients show it, read from search attributes and memo (no worker needed). */
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

/** Builds the view of one execution from its listing or description, with the gate's own approval rules. */
export function campaignView(info: WorkflowExecutionInfo | WorkflowExecutionDescription): CampaignView {
  const memo = (info.memo ?? {}) as Partial<CampaignMemo>;
  const running = info.status.name === 'RUNNING';
  const stage = info.typedSearchAttributes.get(CampaignStage) ?? null;
  // The memo keeps the last approval request after the gate closes; it waits only while the stage says so.
  const pending = running && stage === 'awaiting-approval' ? (memo.pending ?? null) : null;
  const plan = memo.plan ?? null;
  // Change rounds only limit change requests, which neither list depends on.
  const gate: GateState | null =
    pending && plan ? { plan, requestedBy: memo.requestedBy, pending, changesUsed: 0 } : null;
  return {
    workflowId: info.workflowId,
    status: info.status.name,
    stage,
    risk: info.typedSearchAttributes.get(CampaignRisk) ?? null,
    campaign: memo.campaign ?? null,
    requestedBy: memo.requestedBy ?? null,
    requiredApprovals: plan?.requiredApprovals ?? null,
    approvedBy: pending?.approvedBy ?? [],
    mayDecide: gate ? mayDecide(gate) : [],
    mayApprove: gate ? mayApprove(gate) : [],
    contentHash: pending?.contentHash ?? null,
    deadline: pending?.deadline ?? null,
    usage: memo.usage ?? null,
  };
}
