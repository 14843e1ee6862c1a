import { z } from 'zod';
import { decisionSchema } from './decision';

/**
 * A published campaign as the publisher writes it to `<outbox>/<campaign>/package.json` and auditors read it back: the
 * approved variants with their AI marking, the approval and the decisions behind it, and the seal that binds the
 * package to one run and to the audit trail's head when publishing began.
 */
export const outboxPackageSchema = z.object({
  campaign: z.string(),
  brand: z.string(),
  language: z.string(),
  // Hashed as a whole against the approved content hash, so not checked field by field.
  variants: z.array(z.unknown()),
  aiContent: z.object({
    marking: z.string(),
    generatedBy: z.unknown(),
    // Each variant's signed machine-readable marking, by variant id (packages before it have none).
    signed: z.record(z.string(), z.unknown()).optional(),
  }),
  approval: z.object({ contentHash: z.string(), approvedBy: z.array(z.string()), requiredApprovals: z.number() }),
  // Packages written before the signed decisions travelled with them have none.
  approvals: z.array(decisionSchema).optional(),
  // Packages written before the seal named its run have no run id.
  seal: z.object({
    workflowId: z.string(),
    runId: z.string().optional(),
    contentHash: z.string(),
    auditHead: z.string(),
    // The head of the run's receipts when publishing began (packages since the receipts).
    receipts: z.object({ seq: z.number().int().positive(), hash: z.string() }).optional(),
  }),
  // RFC 3161 tokens where the deployment configures a timestamp authority: the receipts' head as publishing began (over
  // the UTF-8 of its hash) and each variant's marking (over its DSSE signature). Absent: none was configured.
  timestamps: z
    .object({
      authority: z.string(),
      head: z
        .object({ seq: z.number().int().positive(), hash: z.string(), genTime: z.string(), token: z.string() })
        .optional(),
      variants: z.record(z.string(), z.object({ genTime: z.string(), token: z.string() })),
    })
    .optional(),
});

/** A package in the outbox. */
export type OutboxPackage = z.infer<typeof outboxPackageSchema>;
