import type { Brief } from '../domain/brief';
import type { CreativeBrief, Research, VariantSet } from '../domain/campaign';
import type { ActivityDeps } from './deps';
import { OFFLINE_PROVENANCE, offlineVariants } from './model-gateway/offline';

/** What the copywriter gets for one round; `feedback` holds the reviewer's or approver's points. */
export interface WriteVariantsInput {
  brief: Brief;
  creativeBrief: CreativeBrief;
  research: Research;
  round: number;
  feedback: string[];
}

/** The copywriter agent. */
export function createCopywriter({ data }: ActivityDeps) {
  return {
    /** Writes one variant per channel within the channel's limits, citing facts for every claim. */
    async writeVariants({ brief, creativeBrief, research, round, feedback }: WriteVariantsInput): Promise<VariantSet> {
      const { requiredDisclaimer } = data.knowledgeBase(brief.brand);
      const variants = offlineVariants(brief, creativeBrief, research, feedback, requiredDisclaimer);
      return { round, variants, provenance: OFFLINE_PROVENANCE };
    },
  };
}
