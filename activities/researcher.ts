import type { Brief } from '../domain/brief';
import type { Research } from '../domain/campaign';
import type { ActivityDeps } from './deps';
import { OFFLINE_PROVENANCE } from './model-gateway/offline';

/** The researcher agent: facts from the knowledge base, and the audience that consented to this purpose. */
export function createResearcher({ data }: ActivityDeps) {
  return {
    /** Retrieves the brand's facts and counts the segment's records whose consent covers the brief's purpose. */
    async researchFacts({ brief }: { brief: Brief }): Promise<Research> {
      const kb = data.knowledgeBase(brief.brand);
      const segment = data.segment(brief.brand, brief.audience.segment);
      const consented = segment.records.filter((r) => r.consent.includes(brief.audience.purpose));
      return {
        facts: kb.facts.map(({ id, kind, text, claim }) => ({ id, kind, text, claim })),
        audience: {
          segment: segment.id,
          purpose: brief.audience.purpose,
          consentedRecords: consented.length,
          excludedRecords: segment.records.length - consented.length,
        },
        provenance: OFFLINE_PROVENANCE,
      };
    },
  };
}
