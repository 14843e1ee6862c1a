import { z } from 'zod';
import { CHANNELS } from './channels';
import { CONTROL_CHARACTERS } from './escape';

/** Free text of a brief: trimmed, bounded, and without control characters or bidirectional overrides. */
const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL_CHARACTERS.test(s), { message: 'must not contain control characters' });

/** The consent purposes a first-party segment can be used for. */
export const CONSENT_PURPOSES = ['email-marketing', 'personalised-ads', 'analytics'] as const;

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

/** The first problem of a failed parse, named by its field path under `root` (`brief.channels[0]: ...`). */
export function describeProblem(error: z.ZodError, root: string): string {
  // An unknown field is usually a misspelt one, which also makes the real field look missing: name it first.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return `${root}: invalid`;
  const field = `${root}${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`;
  if (issue.code === 'unrecognized_keys')
    return `${field}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `${field}: is required`;
  return `${field}: ${issue.message}`;
}
