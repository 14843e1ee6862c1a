import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { AuditEvent } from '../domain/audit';
import { type Brief, campaignBudget } from '../domain/brief';
import { type BudgetDecision, type BudgetStatus, budgetDecisionSchema } from '../domain/budget-decision';
import { Failure } from '../domain/failures';
import { budgetSignatureRefusal } from '../domain/signatures';
import type { AuditStore } from './audit-store';
import type { DataStore } from './data-store';
import { folderFor } from './folders';

/** Which campaign run a model call is for, from the activity's own info. */
export interface CampaignRunRef {
  campaignId: string;
  runId: string;
}

/** What one model call may cost at most, before it is made. */
export interface CallEstimate {
  costEur: number;
  tokens: number;
}

/**
 * Keeps model spend within each campaign's budget. The spend is the gateway's own ledger, written after every call,
 * never what a workflow reports; the limit is the brand's, lowered by the brief, raised only by a signed approver
 * decision in the campaign's stored trail.
 */
export interface BudgetGuard {
  /** Throws a non-retryable `BudgetExceeded` failure when `estimate` would take the campaign over its budget. */
  reserve(run: CampaignRunRef, brief: Brief, step: string, estimate: CallEstimate): void;
  /** Books what a call cost. */
  record(run: CampaignRunRef, spent: CallEstimate): void;
}

/** A {@link BudgetGuard} with its ledger in `<dir>/<campaign>.spend.jsonl`, beside the audit store's trails. */
export function createBudgetGuard(dir: string, data: DataStore, audit: AuditStore): BudgetGuard {
  mkdirSync(dir, { recursive: true });
  const ledger = (id: string) => join(dir, `${folderFor(id)}.spend.jsonl`);
  const spent = (run: CampaignRunRef): CallEstimate => {
    let text = '';
    try {
      text = readFileSync(ledger(run.campaignId), 'utf8');
    } catch {
      return { costEur: 0, tokens: 0 };
    }
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as CallEstimate & { runId: string })
      .filter((e) => e.runId === run.runId)
      .reduce((sum, e) => ({ costEur: sum.costEur + e.costEur, tokens: sum.tokens + e.tokens }), {
        costEur: 0,
        tokens: 0,
      });
  };
  return {
    reserve(run, brief, step, estimate) {
      const base = campaignBudget(brief, data.governance(brief.brand).budget);
      const raised = raisedLimit(run, audit.read(run.campaignId).events, data, brief.brand);
      const limit = {
        maxCostEur: Math.max(base.maxCostEur, raised ?? 0),
        maxTokens: raised === null ? base.maxTokens : Number.POSITIVE_INFINITY,
      };
      const so = spent(run);
      if (so.costEur + estimate.costEur <= limit.maxCostEur && so.tokens + estimate.tokens <= limit.maxTokens) return;
      const status: BudgetStatus = {
        step,
        spentEur: so.costEur,
        limitEur: limit.maxCostEur,
        neededEur: estimate.costEur,
        spentTokens: so.tokens,
        limitTokens: Number.isFinite(limit.maxTokens) ? limit.maxTokens : -1,
      };
      throw ApplicationFailure.create({
        message: `the ${step} step's next model call could cost €${estimate.costEur.toFixed(4)}; with €${so.costEur.toFixed(4)} spent that would exceed the budget of €${limit.maxCostEur.toFixed(4)}`,
        type: Failure.BudgetExceeded,
        nonRetryable: true,
        details: [status],
      });
    },
    record(run, cost) {
      appendFileSync(
        ledger(run.campaignId),
        `${JSON.stringify({ runId: run.runId, at: new Date().toISOString(), ...cost })}\n`,
      );
    },
  };
}

/**
 * The highest limit an approver raised the budget to, from the campaign's stored trail: only raises whose signature by
 * an approver of the brand verifies count, so a workflow cannot raise its own budget.
 */
function raisedLimit(
  run: CampaignRunRef,
  events: readonly AuditEvent[],
  data: DataStore,
  brand: string,
): number | null {
  const people = data.roster().people.filter((p) => p.brands.includes(brand));
  let limit: number | null = null;
  for (const event of events) {
    if (event.runId !== run.runId || event.step !== 'budget' || event.action !== 'raise' || event.outcome !== 'ok')
      continue;
    const detail = (event.detail ?? {}) as {
      maxCostEur?: number;
      decidedAt?: string;
      signature?: BudgetDecision['signature'];
    };
    const decision = budgetDecisionSchema.safeParse({
      decision: 'raise',
      approver: event.actor.id,
      maxCostEur: detail.maxCostEur,
      decidedAt: detail.decidedAt,
      signature: detail.signature,
    });
    if (!decision.success) continue;
    const person = people.find((p) => p.id === decision.data.approver);
    const mayDecide = person?.roles.some((r) => r === 'approver' || r === 'compliance-officer');
    if (!mayDecide || budgetSignatureRefusal(run.campaignId, decision.data, person?.publicKey) !== null) continue;
    if (decision.data.decision === 'raise') limit = Math.max(limit ?? 0, decision.data.maxCostEur);
  }
  return limit;
}
