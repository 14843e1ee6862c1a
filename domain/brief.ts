import { z } from 'zod';
import { CHANNELS } from './channels';

/** The consent purposes a first-party segment can be used for. */
export const CONSENT_PURPOSES = ['email-marketing', 'personalised-ads', 'analytics'] as const;

/** A campaign brief as marketing ops write it (YAML or JSON); validated at the CLI before anything starts. */
export const briefSchema = z
  .object({
    campaign: z.string().trim().min(3).max(120),
    brand: z.string().regex(/^[a-z0-9-]+$/, 'must be a brand id in kebab-case'),
    product: z.string().trim().min(2).max(120),
    objective: z.string().trim().min(10).max(500),
    language: z.enum(['de', 'en']),
    audience: z.object({
      segment: z.string().regex(/^[a-z0-9-]+$/, 'must be a segment id in kebab-case'),
      purpose: z.enum(CONSENT_PURPOSES),
    }),
    channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length),
    keyMessages: z.array(z.string().trim().min(3).max(200)).min(1).max(5),
    tone: z.string().trim().min(2).max(80).default('klar, freundlich, sachlich'),
    approvalDeadlineHours: z.number().int().min(1).max(720).default(72),
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
  // An unknown field is usually a misspelt one, which also makes the real field look missing: name it first.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return 'brief: invalid';
  const field = `brief${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`;
  if (issue.code === 'unrecognized_keys')
    return `${field}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `${field}: is required`;
  return `${field}: ${issue.message}`;
}
