import { variantSetOutputSchema } from '../domain/agent-outputs';
import type { Brief } from '../domain/brief';
import type { CreativeBrief, Research, VariantSet } from '../domain/campaign';
import { CHANNEL_LIMITS } from '../domain/channels';
import type { ActivityDeps } from './deps';
import { languageName } from './language';

/** What the copywriter gets for one round; `feedback` holds the reviewer's or approver's points. */
export interface WriteVariantsInput {
  brief: Brief;
  creativeBrief: CreativeBrief;
  research: Research;
  round: number;
  feedback: string[];
}

/** The copywriter agent. */
export function createCopywriter({ data, models }: ActivityDeps) {
  return {
    /** Writes one variant per channel within the channel's limits, citing facts for every claim. */
    async writeVariants({ brief, creativeBrief, research, round, feedback }: WriteVariantsInput): Promise<VariantSet> {
      const { brandName, requiredDisclaimer } = data.knowledgeBase(brief.brand);
      const { provenance: _, ...briefForPrompt } = creativeBrief;
      const { output, provenance } = await models.generate({
        role: 'copywriter',
        variables: {
          brandName,
          channels: brief.channels.join(', '),
          limits: Object.fromEntries(brief.channels.map((c) => [c, CHANNEL_LIMITS[c]])),
          disclaimer: requiredDisclaimer ?? '(none)',
          creativeBrief: briefForPrompt,
          facts: research.facts,
          feedback: feedback.join('\n'),
          languageName: languageName(brief.language),
        },
        schema: variantSetOutputSchema,
        schemaName: 'variant_set',
        offlineInput: { role: 'copywriter', brief, creativeBrief, research, feedback, disclaimer: requiredDisclaimer },
      });
      // Only the channels the brief asked for, one each; the reviewer flags any channel left without a variant.
      const variants = brief.channels.flatMap((channel) => {
        const variant = output.variants.find((v) => v.channel === channel);
        return variant ? [{ ...variant, id: `${channel}-${round}` }] : [];
      });
      return { round, variants, provenance };
    },
  };
}
