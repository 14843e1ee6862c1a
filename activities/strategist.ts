import { creativeBriefOutputSchema } from '../domain/agent-outputs';
import type { CreativeBrief } from '../domain/campaign';
import type { BriefInput } from '../domain/step-inputs';
import type { ActivityDeps } from './deps';
import { languageName } from './language';
import { offlineCreativeBrief } from './model-gateway/offline';

/** The strategist agent. */
export function createStrategist({ data, models }: ActivityDeps) {
  return {
    /** Writes the structured creative brief; fact ids the research did not return are dropped from each message. */
    async draftCreativeBrief({ brief, research }: BriefInput): Promise<CreativeBrief> {
      const { brandName } = data.knowledgeBase(brief.brand);
      const { output, provenance } = await models.generate({
        role: 'strategist',
        ownDomains: data.governance(brief.brand).domains,
        variables: {
          brandName,
          brief,
          facts: research.facts.map(({ id, kind, text }) => ({ id, kind, text })),
          audience: research.audience,
          languageName: languageName(brief.language),
        },
        schema: creativeBriefOutputSchema,
        brief,
        schemaName: 'creative_brief',
        offline: (redact) => offlineCreativeBrief(redact(brief), redact(research)),
      });
      const known = new Set(research.facts.map((f) => f.id));
      const keyMessages = output.keyMessages.map((m) => ({
        text: m.text,
        factIds: m.factIds.filter((id) => known.has(id)),
      }));
      return { ...output, keyMessages, channels: brief.channels, provenance };
    },
  };
}
