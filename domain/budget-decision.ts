import { z } from 'zod';
import { approver, decidedAt as decidedAtField, planHash, runId, signature, text } from './decision';

/** What a campaign spent on models, and what it may spend. */
export interface BudgetStatus {
  step: string;
  spentEur: number;
  limitEur: number;
  /** What the call that was not made would have cost at most. */
  neededEur: number;
  spentTokens: number;
  limitTokens: number;
}

// The same field rules as approval decisions; a budget decision always carries its time.
const decidedAt = decidedAtField.unwrap();

/** An approver's answer when a campaign reached its model budget: raise it to a new limit, or stop the campaign. */
export const budgetDecisionSchema = z.discriminatedUnion('decision', [
  z
    .object({
      decision: z.literal('raise'),
      approver,
      maxCostEur: z.number().positive().max(10_000),
      decidedAt,
      runId,
      planHash,
      signature,
    })
    .strict(),
  z
    .object({
      decision: z.literal('stop'),
      approver,
      reason: text('reason'),
      decidedAt,
      runId,
      planHash,
      signature,
    })
    .strict(),
]);

/** A validated budget decision. */
export type BudgetDecision = z.infer<typeof budgetDecisionSchema>;
