import { z } from 'zod';

/** An approver's decision as it arrives through the `decide` Update or Signal. */
export const decisionSchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('approve'),
    approver: z.string().regex(/^[a-z0-9.-]{1,64}$/, 'must be a roster id'),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-hex content hash shown in Current Details'),
    comment: z.string().max(2000).optional(),
  }),
  z.object({
    decision: z.literal('reject'),
    approver: z.string().regex(/^[a-z0-9.-]{1,64}$/, 'must be a roster id'),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-hex content hash shown in Current Details'),
    reason: z.string().min(3).max(2000),
  }),
  z.object({
    decision: z.literal('request-changes'),
    approver: z.string().regex(/^[a-z0-9.-]{1,64}$/, 'must be a roster id'),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-hex content hash shown in Current Details'),
    feedback: z.string().min(3).max(2000),
  }),
]);

/** A validated decision. */
export type Decision = z.infer<typeof decisionSchema>;

/** What the `decide` Update returns to the caller once the decision is recorded. */
export interface DecisionReceipt {
  accepted: true;
  decision: Decision['decision'];
  approvalsSoFar: number;
  approvalsRequired: number;
  contentHash: string;
}
