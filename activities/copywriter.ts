import { variantSetOutputSchema } from '../domain/agent-outputs';
import type { CreativeBrief, VariantSet } from '../domain/campaign';
import { CHANNEL_LIMITS } from '../domain/channels';
import { hashOf } from '../domain/hash';
import type { WriteVariantsInput } from '../domain/step-inputs';
import type { ActivityDeps } from './deps';
import { languageName } from './language';
import { offlineVariants } from './model-gateway/offline';

/** The copywriter agent. */
export function createCopywriter({ data, models }: ActivityDeps) {
  return {
    /** Writes one variant per channel within the channel's limits, citing facts for every claim. */
    async writeVariants({ brief, creativeBrief, research, round, feedback }: WriteVariantsInput): Promise<VariantSet> {
      const { brandName, requiredDisclaimer } = data.knowledgeBase(brief.brand);
      const { output, provenance } = await models.generate({
        role: 'copywriter',
        ownDomains: data.governance(brief.brand).domains,
        variables: {
          brandName,
          channels: brief.channels.join(', '),
          limits: Object.fromEntries(brief.channels.map((c) => [c, CHANNEL_LIMITS[c]])),
          disclaimer: requiredDisclaimer ?? '(none)',
          creativeBrief: promptFields(creativeBrief),
          facts: research.facts,
          feedback: feedback.join('\n'),
          languageName: languageName(brief.language),
        },
        schema: variantSetOutputSchema,
        brief,
        schemaName: 'variant_set',
        offline: (redact) => ({
          variants: offlineVariants(
            redact(brief),
            redact(creativeBrief),
            redact(research),
            redact(feedback),
            requiredDisclaimer,
            round,
          ),
        }),
      });
      // Only the channels the brief asked for, one each; the reviewer flags any channel left without a variant.
      const variants = brief.channels.flatMap((channel) => {
        const variant = output.variants.find((v) => v.channel === channel);
        return variant ? [{ ...variant, id: `${channel}-${round}` }] : [];
      });
      // What it wrote from, by hash: the publisher follows these to the receipts of the brief and the research.
      return {
        round,
        variants,
        provenance,
        basedOn: { creativeBrief: hashOf(creativeBrief), research: hashOf(research) },
      };
    },
  };
}

/** The creative brief as the model reads it: its declared content fields and nothing that rides along with it. */
function promptFields({ objective, audience, keyMessages, channels, tone, kpis }: CreativeBrief) {
  return { objective, audience, keyMessages, channels, tone, kpis };
}
