import { z } from 'zod';
import { CONTROL_CHARACTERS } from './escape';

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

const signature = z
  .object({
    keyId: z.string().regex(/^ed25519:[0-9a-f]{16}$/, 'must be the key id `npx campaign budget` prints'),
    value: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 hex digits'),
  })
  .strict()
  .optional();
const approver = z.string().regex(/^[a-z0-9.-]{1,64}$/, 'must be a roster id');
const decidedAt = z.iso.datetime({ message: 'must be an ISO time such as 2026-11-22T10:00:00Z' });

/** An approver's answer when a campaign reached its model budget: raise it to a new limit, or stop the campaign. */
export const budgetDecisionSchema = z.discriminatedUnion('decision', [
  z
    .object({
      decision: z.literal('raise'),
      approver,
      maxCostEur: z.number().positive().max(10_000),
      decidedAt,
      signature,
    })
    .strict(),
  z
    .object({
      decision: z.literal('stop'),
      approver,
      reason: z
        .string()
        .trim()
        .min(3, 'reason must say something (at least 3 characters)')
        .max(2000)
        .refine((s) => !CONTROL_CHARACTERS.test(s), { message: 'reason must not contain control characters' }),
      decidedAt,
      signature,
    })
    .strict(),
]);

/** A validated budget decision. */
export type BudgetDecision = z.infer<typeof budgetDecisionSchema>;
