import { z } from 'zod';
import { LOCALES } from './approver-texts';
import { CONSENT_PURPOSES } from './consent';
import { rosterIdSchema } from './roster-id';

/** A fact from the brand's knowledge base; every claim in a variant must cite one. */
export const factSchema = z.object({
  id: z.string().regex(/^[A-Z]+-[0-9]+$/),
  kind: z.enum(['price', 'term', 'certification', 'product', 'voice', 'legal']),
  text: z.string().min(3),
  /** A short form with the same figures, for channels with tight limits. */
  claim: z.string().min(3).max(60),
  tags: z.array(z.string()).default([]),
});
export type Fact = z.infer<typeof factSchema>;

/** A brand's knowledge base: facts, banned wording and disclaimers. */
export const knowledgeBaseSchema = z.object({
  brand: z.string(),
  brandName: z.string(),
  facts: z.array(factSchema).min(1),
  bannedPhrases: z.array(z.string()).default([]),
  requiredDisclaimer: z.string().optional(),
});
export type KnowledgeBase = z.infer<typeof knowledgeBaseSchema>;

/** A pseudonymous first-party record: no names or addresses, only what consent covers. */
export const customerRecordSchema = z.object({
  customerId: z.string(),
  consent: z.array(z.enum(CONSENT_PURPOSES)),
});

/** A first-party audience segment; `sensitive` segments always make a campaign high-risk. */
export const segmentSchema = z.object({
  id: z.string(),
  description: z.string(),
  sensitive: z.boolean().default(false),
  records: z.array(customerRecordSchema),
});
export type Segment = z.infer<typeof segmentSchema>;

export const segmentsFileSchema = z.object({ segments: z.array(segmentSchema) });

/** An Ed25519 public key, 32 bytes in hex. */
export const publicKeySchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be an Ed25519 public key (64 hex digits)');

/** People who may request, approve or audit campaigns; `publicKey` verifies the decisions they sign. */
export const personSchema = z.object({
  id: rosterIdSchema,
  roles: z.array(z.enum(['requester', 'approver', 'compliance-officer', 'backup-approver', 'auditor'])).min(1),
  brands: z.array(z.string()).min(1),
  publicKey: publicKeySchema.optional(),
  /**
   * The person's identity at the company's OpenID provider: the ID token's subject, and its issuer when it is not
   * the deployment's (`CAMPAIGN_OIDC_ISSUER`). A decision typed while logged in as this login is theirs.
   */
  login: z
    .object({ subject: z.string().min(1).max(255), issuer: z.url().optional() })
    .strict()
    .optional(),
});
export type Person = z.infer<typeof personSchema>;

export const rosterSchema = z.object({ people: z.array(personSchema).min(1) });
export type Roster = z.infer<typeof rosterSchema>;

/** Public keys kept beside the roster (the demo's locally generated keys); they only fill in people without one. */
export const keyringSchema = z.object({ keys: z.record(z.string(), publicKeySchema) });

/** A brand's governance settings (`brands/<brand>/governance.yaml`); without the file, the strict defaults hold. */
export const brandGovernanceSchema = z
  .object({
    /** Decisions must be signed by the approver's key from the roster; only a brand that says so may do without. */
    requireSignedDecisions: z.boolean().default(true),
    /** The language approvers and requesters read (Current Details, receipts, refusals, notices); English if unset. */
    language: z.enum(LOCALES).optional(),
    /** What a campaign of the brand may spend on models at most; a brief may ask for less, never more. */
    budget: z
      .object({ maxCostEur: z.number().positive().default(5), maxTokens: z.number().int().positive().default(200_000) })
      .strict()
      .default({ maxCostEur: 5, maxTokens: 200_000 }),
    /**
     * Hours an approval request may wait before the brand's backup approvers join the plan and the approvers are
     * reminded; the deadline still rejects.
     */
    approvalSlaHours: z.number().positive().max(720).default(24),
    /** The web domains the brand owns: links to any other domain in briefs and facts read as injected. */
    domains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain such as example.de')).default([]),
  })
  .strict();
export type BrandGovernance = z.infer<typeof brandGovernanceSchema>;

/** A brand or segment id: what may be joined into a path under the data folder. */
export const DATA_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
