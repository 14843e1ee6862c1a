import { creativeBriefOutputSchema } from '../domain/agent-outputs';
import type { Brief } from '../domain/brief';
import type { CreativeBrief, Research } from '../domain/campaign';
import type { ActivityDeps } from './deps';
import { languageName } from './language';

/** The strategist agent. */
export function createStrategist({ data, models }: ActivityDeps) {
  return {
    /** Writes the structured creative brief; fact ids the research did not return are dropped from each message. */
    async draftCreativeBrief({ brief, research }: { brief: Brief; research: Research }): Promise<CreativeBrief> {
      const { brandName } = data.knowledgeBase(brief.brand);
      const { output, provenance } = await models.generate({
        role: 'strategist',
        variables: {
          brandName,
          brief,
          facts: research.facts.map(({ id, kind, text }) => ({ id, kind, text })),
          audience: research.audience,
          languageName: languageName(brief.language),
        },
        schema: creativeBriefOutputSchema,
        schemaName: 'creative_brief',
        offlineInput: { role: 'strategist', brief, research },
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
