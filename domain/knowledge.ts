import { z } from 'zod';
import { CONSENT_PURPOSES } from './brief';

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

/** People who may request, approve or audit campaigns. */
export const personSchema = z.object({
  id: z.string().regex(/^[a-z0-9.-]+$/),
  roles: z.array(z.enum(['requester', 'approver', 'compliance-officer', 'auditor'])).min(1),
  brands: z.array(z.string()).min(1),
});
export type Person = z.infer<typeof personSchema>;

export const rosterSchema = z.object({ people: z.array(personSchema).min(1) });
export type Roster = z.infer<typeof rosterSchema>;
