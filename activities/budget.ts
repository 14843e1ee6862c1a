import { ApplicationFailure } from '@temporalio/common';
import { type Brief, campaignBudget } from '../domain/brief';
import { type BudgetStatus, budgetDecisionSchema } from '../domain/budget-decision';
import { Failure } from '../domain/failures';
import { budgetSignatureRefusal } from '../domain/signatures';
import type { GovernanceStore } from '../store/governance-store';
import type { CampaignRunRef, Spend } from '../store/spend-ledger';
import type { DataStore } from './data-store';

export type { CampaignRunRef };

/** What one model call may cost at most, before it is made, or what it cost. */
export type CallEstimate = Spend;

/**
 * Keeps model spend within each campaign's budget. The spend is the gateway's own ledger in the shared store, never
 * what a workflow reports; the limit is the brand's, lowered by the brief, raised only by a signed approver decision
 * in the campaign's stored trail. A call is reserved at its worst case before it is made, atomically across machines.
 */
export interface BudgetGuard {
  /**
   * Reserves `estimate` for a call and returns the reservation; throws a non-retryable `BudgetExceeded` failure when
   * it would take the campaign over its budget.
   */
  reserve(run: CampaignRunRef, brief: Brief, step: string, estimate: CallEstimate): Promise<string>;
  /** Books what the reserved call cost. */
  record(run: CampaignRunRef, reservation: string, step: string, spent: CallEstimate): Promise<void>;
  /** Gives the reservation back: the call failed before it cost anything. */
  release(run: CampaignRunRef, reservation: string, step: string): Promise<void>;
}

/** A {@link BudgetGuard} on the store's ledger and trail. */
export function createBudgetGuard(
  store: Pick<GovernanceStore, 'ledger' | 'trail' | 'decisions' | 'bindings'>,
  data: DataStore,
): BudgetGuard {
  return {
    async reserve(run, brief, step, estimate) {
      const base = campaignBudget(brief, data.governance(brief.brand).budget);
      const raised = raisedLimit(run, await raisesOf(store, run), data, brief.brand);
      // The token budget always applies, priced model or not (an unpriced one costs €0 and only tokens stop it); a
      // raise in euros raises it in the same proportion.
      const costEur = Math.max(base.maxCostEur, raised ?? 0);
      const limit = { costEur, tokens: Math.floor(base.maxTokens * (costEur / base.maxCostEur)) };
      const reservation = await store.ledger.reserve(run, step, estimate, limit);
      if (reservation.kind === 'reserved') return reservation.id;
      const so = reservation.spent;
      const status: BudgetStatus = {
        step,
        spentEur: so.costEur,
        limitEur: limit.costEur,
        neededEur: estimate.costEur,
        spentTokens: so.tokens,
        limitTokens: Number.isFinite(limit.tokens) ? limit.tokens : -1,
      };
      const overTokens = so.tokens + estimate.tokens > limit.tokens;
      throw ApplicationFailure.create({
        message: overTokens
          ? `the ${step} step's next model call could use ${estimate.tokens} tokens; with ${so.tokens} used that would exceed the budget of ${limit.tokens} tokens`
          : `the ${step} step's next model call could cost €${estimate.costEur.toFixed(4)}; with €${so.costEur.toFixed(4)} spent that would exceed the budget of €${limit.costEur.toFixed(4)}`,
        type: Failure.BudgetExceeded,
        nonRetryable: true,
        details: [status],
      });
    },
    record: (run, reservation, step, spent) => store.ledger.settle(run, reservation, step, spent),
    release: (run, reservation, step) => store.ledger.release(run, reservation, step),
  };
}

/**
 * The budget decisions of a run: those the worker side recorded when the budget gate accepted them; for a run in
 * flight across the upgrade to receipts (legacy), the raises in its stored trail, as before.
 */
async function raisesOf(
  store: Pick<GovernanceStore, 'trail' | 'decisions' | 'bindings'>,
  run: CampaignRunRef,
): Promise<unknown[]> {
  const recorded = (await store.decisions.ofRun(run.campaignId, run.runId, 'budget')).map((r) => r.decision);
  if (!(await store.bindings.of(run.campaignId))?.legacy) return recorded;
  const events = await store.trail.eventsOf(run.campaignId, run.runId, 'budget', 'raise');
  return [
    ...recorded,
    ...events
      .filter((e) => e.outcome === 'ok')
      .map((event) => {
        const detail = (event.detail ?? {}) as { maxCostEur?: number; decidedAt?: string; signature?: unknown };
        return {
          decision: 'raise',
          approver: event.actor.id,
          maxCostEur: detail.maxCostEur,
          decidedAt: detail.decidedAt,
          signature: detail.signature,
        };
      }),
  ];
}

/**
 * The highest limit an approver raised the budget to: only raises whose signature by an approver of the brand
 * verifies for this campaign (and, where they name one, this run) count, so a workflow cannot raise its own budget.
 */
function raisedLimit(
  run: CampaignRunRef,
  decisions: readonly unknown[],
  data: DataStore,
  brand: string,
): number | null {
  const people = data.roster().people.filter((p) => p.brands.includes(brand));
  let limit: number | null = null;
  for (const raw of decisions) {
    const decision = budgetDecisionSchema.safeParse(raw);
    if (!decision.success || decision.data.decision !== 'raise') continue;
    if (decision.data.runId !== undefined && decision.data.runId !== run.runId) continue;
    const person = people.find((p) => p.id === decision.data.approver);
    const mayDecide = person?.roles.some((r) => r === 'approver' || r === 'compliance-officer');
    if (!mayDecide || budgetSignatureRefusal(run.campaignId, decision.data, person?.publicKey) !== null) continue;
    limit = Math.max(limit ?? 0, decision.data.maxCostEur);
  }
  return limit;
}
