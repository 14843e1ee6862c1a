import { z } from 'zod';
import { CHANNEL_CONSENT, CHANNELS } from './channels';
import { CONSENT_PURPOSES } from './consent';
import { CONTROL_CHARACTERS } from './escape';
import { describeProblem } from './problems';

/** Free text of a brief: trimmed, bounded, and without control characters or bidirectional overrides. */
const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL_CHARACTERS.test(s), { message: 'must not contain control characters' });

/** A campaign brief as marketing ops write it (YAML or JSON); validated at the CLI before anything starts. */
export const briefSchema = z
  .object({
    campaign: text(3, 120),
    brand: z.string().regex(/^[a-z0-9-]+$/, 'must be a brand id in kebab-case'),
    product: text(2, 120),
    objective: text(10, 500),
    language: z.enum(['de', 'en']),
    audience: z.object({
      segment: z.string().regex(/^[a-z0-9-]+$/, 'must be a segment id in kebab-case'),
      purpose: z.enum(CONSENT_PURPOSES),
    }),
    channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length),
    keyMessages: z.array(text(3, 200)).min(1).max(5),
    tone: text(2, 80).default('klar, freundlich, sachlich'),
    approvalDeadlineHours: z.number().int().min(1).max(720).default(72),
    /** A lower model budget than the brand's, for this campaign. */
    budget: z
      .object({
        maxCostEur: z.number().positive().max(10_000).optional(),
        maxTokens: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((brief) => new Set(brief.channels).size === brief.channels.length, {
    message: 'must not repeat a channel',
    path: ['channels'],
  });

/** A validated brief. */
export type Brief = z.infer<typeof briefSchema>;

/** Why a brief was refused: the first problem, named by its field path. */
export function describeBriefProblem(error: z.ZodError): string {
  return describeProblem(error, 'brief');
}

/**
 * Why the brief's channels need a consent its audience's purpose does not cover, naming the first such channel; null
 * when every channel is covered. The CLI refuses such a brief, and a Cedar policy denies its campaign's every step.
 */
export function consentProblem(brief: Pick<Brief, 'channels' | 'audience'>): string | null {
  for (const [index, channel] of brief.channels.entries()) {
    const needs = CHANNEL_CONSENT[channel];
    if (needs && needs !== brief.audience.purpose) {
      return `brief.channels[${index}]: ${channel} needs the audience's consent for ${needs}, but brief.audience.purpose is ${brief.audience.purpose}`;
    }
  }
  return null;
}

/** A campaign's model budget: the brand's, lowered where the brief asks for less. */
export function campaignBudget(
  brief: Pick<Brief, 'budget'>,
  brand: { maxCostEur: number; maxTokens: number },
): { maxCostEur: number; maxTokens: number } {
  return {
    maxCostEur: Math.min(brand.maxCostEur, brief.budget?.maxCostEur ?? Number.POSITIVE_INFINITY),
    maxTokens: Math.min(brand.maxTokens, brief.budget?.maxTokens ?? Number.POSITIVE_INFINITY),
  };
}
