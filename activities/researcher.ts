import { researchSelectionSchema } from '../domain/agent-outputs';
import type { Research, ScreenedText } from '../domain/campaign';
import type { ResearchInput } from '../domain/step-inputs';
import type { ActivityDeps } from './deps';
import { languageName } from './language';
import { injectionReasons } from './privacy/injection';
import { retrieveFacts } from './retrieval';

/** The researcher agent: ranked facts from the knowledge base, and the audience that consented to this purpose. */
export function createResearcher({ data, models }: ActivityDeps) {
  return {
    /** Retrieves the top facts, lets the model keep the relevant ones, and counts the consented audience. */
    async researchFacts({ brief }: ResearchInput): Promise<Research> {
      const kb = data.knowledgeBase(brief.brand);
      const segment = data.segment(brief.brand, brief.audience.segment);
      const consented = segment.records.filter((r) => r.consent.includes(brief.audience.purpose));
      // A fact that reads as an instruction to the model is left out: no model sees it and no copy can cite it.
      const screened: ScreenedText[] = [];
      const retrieved = retrieveFacts(kb.facts, brief).filter((fact) => {
        const reasons = injectionReasons(`${fact.text} ${fact.claim}`, {
          ownDomains: data.governance(brief.brand).domains,
        });
        if (reasons.length > 0) screened.push({ where: `fact ${fact.id}`, reasons });
        return reasons.length === 0;
      });
      const { output, provenance } = await models.generate({
        role: 'researcher',
        ownDomains: data.governance(brief.brand).domains,
        variables: {
          brandName: kb.brandName,
          brief,
          facts: retrieved.map(({ id, kind, text }) => ({ id, kind, text })),
          languageName: languageName(brief.language),
        },
        schema: researchSelectionSchema,
        brief,
        schemaName: 'research_selection',
        offline: () => ({ factIds: retrieved.map((f) => f.id), rationale: 'offline model: every retrieved fact' }),
      });
      // Only ids that retrieval returned count; an id the model made up is dropped, never trusted.
      const chosen = retrieved.filter((f) => output.factIds.includes(f.id));
      return {
        facts: (chosen.length > 0 ? chosen : retrieved).map(({ id, kind, text, claim }) => ({ id, kind, text, claim })),
        audience: {
          segment: segment.id,
          purpose: brief.audience.purpose,
          consentedRecords: consented.length,
          excludedRecords: segment.records.length - consented.length,
        },
        provenance,
        ...(screened.length > 0 ? { screened } : {}),
      };
    },
  };
}
