import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import { type GateState, mayApprove, mayDecide, mayDecideBudget } from '../domain/approval-rules';
import type { BudgetStatus } from '../domain/budget-decision';
import type { ModelUsage, PendingApproval } from '../domain/campaign';
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
  /** Whether the campaign's plan requires signed decisions (null before the plan is fixed). */
  signaturesRequired: boolean | null;
  /** Model tokens and cost so far. */
  usage: ModelUsage | null;
  /** The model budget a step waits at, for an approver to raise it or stop the campaign; null otherwise. */
  budget: BudgetStatus | null;
}

/** What waits at the campaign's gate now, from its memo; the memo keeps the last request after the gate closes. */
export function pendingApproval(info: WorkflowExecutionInfo | WorkflowExecutionDescription): PendingApproval | null {
  const memo = (info.memo ?? {}) as Partial<CampaignMemo>;
  const waiting =
    info.status.name === 'RUNNING' && info.typedSearchAttributes.get(CampaignStage) === 'awaiting-approval';
  return waiting ? (memo.pending ?? null) : null;
}

/** Why a decision on the campaign would come too late or too early: it ended, or waits for something else. */
export function notWaitingFor(view: CampaignView, what: 'approval' | 'a budget decision'): string {
  if (view.status !== 'RUNNING') {
    const how = view.stage ? `, stage ${view.stage}` : '';
    return `campaign '${view.workflowId}' has ended (${view.status.toLowerCase()}${how}); a decision now would not be recorded`;
  }
  return `campaign '${view.workflowId}' is not waiting for ${what} (stage ${view.stage ?? 'unknown'})`;
}

/** The budget the campaign waits at now, from its memo. */
export function pendingBudget(info: WorkflowExecutionInfo | WorkflowExecutionDescription): BudgetStatus | null {
  const memo = (info.memo ?? {}) as Partial<CampaignMemo>;
  const waiting = info.status.name === 'RUNNING' && info.typedSearchAttributes.get(CampaignStage) === 'awaiting-budget';
  return waiting ? (memo.budget ?? null) : null;
}

/** Builds the view of one execution from its listing or description, with the gate's own approval rules. */
export function campaignView(info: WorkflowExecutionInfo | WorkflowExecutionDescription): CampaignView {
  const memo = (info.memo ?? {}) as Partial<CampaignMemo>;
  const pending = pendingApproval(info);
  const plan = memo.plan ?? null;
  // Change rounds only limit change requests, which neither list depends on.
  const gate: GateState | null =
    pending && plan ? { plan, requestedBy: memo.requestedBy, pending, changesUsed: 0 } : null;
  const budget = pendingBudget(info);
  const budgetDeciders = budget && plan ? mayDecideBudget(plan, memo.requestedBy) : [];
  return {
    workflowId: info.workflowId,
    status: info.status.name,
    stage: info.typedSearchAttributes.get(CampaignStage) ?? null,
    risk: info.typedSearchAttributes.get(CampaignRisk) ?? null,
    campaign: memo.campaign ?? null,
    requestedBy: memo.requestedBy ?? null,
    requiredApprovals: plan?.requiredApprovals ?? null,
    approvedBy: pending?.approvedBy ?? [],
    mayDecide: gate ? mayDecide(gate) : budgetDeciders,
    mayApprove: gate ? mayApprove(gate) : [],
    contentHash: pending?.contentHash ?? null,
    deadline: pending?.deadline ?? null,
    signaturesRequired: plan ? (plan.signatures?.required ?? false) : null,
    usage: memo.usage ?? null,
    budget,
  };
}
