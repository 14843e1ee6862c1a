import { z } from 'zod';
import { briefSchema } from './brief';
import type { CampaignInput } from './campaign';
import { describeProblem } from './problems';
import { rosterIdSchema } from './roster-id';
import { signedStartSchema } from './start-request';

/** What starts a campaign workflow, checked with the same brief schema the CLI uses; unknown fields are refused. */
export const campaignInputSchema = z
  .object({ brief: briefSchema, requestedBy: rosterIdSchema, start: signedStartSchema.optional() })
  .strict();

/** The input, validated, or the first problem named by its field (`input.brief.language: ...`). */
export function parseCampaignInput(raw: unknown): { ok: true; input: CampaignInput } | { ok: false; problem: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problem: 'input: must be an object with brief and requestedBy' };
  }
  const parsed = campaignInputSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, input: parsed.data }
    : { ok: false, problem: describeProblem(parsed.error, 'input') };
}
