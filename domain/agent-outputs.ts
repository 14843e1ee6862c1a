import { z } from 'zod';
import { CHANNELS } from './channels';

// What each agent must return from a model. Every field is required (nullable where optional), because OpenAI's
// strict structured outputs accept no optional fields; the same schemas validate the offline model's output.

/** The researcher's pick among the retrieved facts. */
export const researchSelectionSchema = z.object({
  factIds: z.array(z.string()).min(1).max(12),
  rationale: z.string().max(600),
});
export type ResearchSelection = z.infer<typeof researchSelectionSchema>;

/** The strategist's creative brief: every key message names the facts that support it. */
export const creativeBriefOutputSchema = z.object({
  objective: z.string().min(5).max(500),
  audience: z.string().min(3).max(300),
  keyMessages: z
    .array(z.object({ text: z.string().min(3).max(200), factIds: z.array(z.string()).max(6) }))
    .min(1)
    .max(5),
  tone: z.string().min(2).max(120),
  kpis: z.array(z.string().min(2).max(80)).min(1).max(5),
});
export type CreativeBriefOutput = z.infer<typeof creativeBriefOutputSchema>;

/** The copywriter's variants: one per channel, each citing the facts behind its claims. */
export const variantSetOutputSchema = z.object({
  variants: z
    .array(
      z.object({
        channel: z.enum(CHANNELS),
        headline: z.string().min(1).max(200),
        body: z.string().min(1).max(2000),
        factIds: z.array(z.string()).max(8),
      }),
    )
    .min(1)
    .max(CHANNELS.length),
});
export type VariantSetOutput = z.infer<typeof variantSetOutputSchema>;

/** The reviewer model's advice on tone and brand voice; advisory only, the rule checks stay authoritative. */
export const reviewAdviceSchema = z.object({
  advisories: z.array(z.object({ variantId: z.string(), note: z.string().min(3).max(400) })).max(12),
});
export type ReviewAdvice = z.infer<typeof reviewAdviceSchema>;
