import { z } from 'zod';
import { CONTROL_CHARACTERS } from './escape';
import { attestationSchema } from './login';
import { rosterIdSchema } from './roster-id';

/** A roster id, as decisions name their approver. */
export const approver = rosterIdSchema;
const contentHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-hex content hash shown in Current Details');
/** When the approver decided (ISO 8601, UTC); signed, and a decision that arrives much later is refused. */
export const decidedAt = z.iso.datetime({ message: 'must be an ISO time such as 2026-11-22T10:00:00Z' }).optional();
/** An Ed25519 signature over the decision's signed fields (see `domain/signatures.ts`), by the approver's key. */
export const signature = z
  .object({
    keyId: z.string().regex(/^ed25519:[0-9a-f]{16}$/, 'must be the key id `npx campaign sign` prints'),
    value: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 hex digits'),
    // Signed over the decision's in-toto statement in a DSSE envelope (domain/decision-envelope.ts); absent: over
    // the signed fields' canonical JSON, as every earlier decision was.
    envelope: z.literal('dsse').optional(),
  })
  .strict()
  .optional();
/** The run a decision is for, as Temporal names it; signed with campaigns from the receipts patch on. */
export const runId = z
  .string()
  .regex(/^[\w-]{1,100}$/, 'must be the run id shown by `npx campaign status`')
  .optional();
/** The hash of the approval plan the decision applies to (its Current Details show it); signed with run id. */
export const planHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be the 64-hex plan hash shown in Current Details')
  .optional();
/** The campaign a decision is for, typed with it where the login service stamps it (it sees no workflow id). */
export const campaignId = z.string().min(1).max(200).optional();
/** The login service's stamp of the person who typed the decision while logged in (see `domain/login-attestation.ts`). */
export const attestation = attestationSchema.optional();

/** A note a person writes (reason, feedback, comment): something said, no control characters. */
export const text = (what: string) =>
  z
    .string()
    .trim()
    .min(3, `${what} must say something (at least 3 characters)`)
    .max(2000)
    .refine((s) => !CONTROL_CHARACTERS.test(s), {
      message: `${what} must not contain control characters`,
    });

/** An approver's decision as it arrives through the `decide` Update or Signal; unknown fields are refused. */
export const decisionSchema = z.discriminatedUnion('decision', [
  z
    .object({
      decision: z.literal('approve'),
      approver,
      contentHash,
      comment: text('comment').optional(),
      decidedAt,
      runId,
      planHash,
      signature,
      campaignId,
      attestation,
    })
    .strict(),
  z
    .object({
      decision: z.literal('reject'),
      approver,
      contentHash,
      reason: text('reason'),
      decidedAt,
      runId,
      planHash,
      signature,
      campaignId,
      attestation,
    })
    .strict(),
  z
    .object({
      decision: z.literal('request-changes'),
      approver,
      contentHash,
      feedback: text('feedback'),
      decidedAt,
      runId,
      planHash,
      signature,
      campaignId,
      attestation,
    })
    .strict(),
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
  /** What the decision changed and what happens next, in a sentence for the person who sent it. */
  message?: string;
}
