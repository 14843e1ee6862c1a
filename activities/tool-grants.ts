import { hashOf } from '../domain/hash';
import type { PublishInput } from './publisher';

/** The agent role and tool behind one activity type, and the context the policy sees. */
export interface ToolGrant {
  agent: string;
  tools: string[];
  context(input: unknown): Record<string, string | number | boolean>;
}

const none = () => ({});

/** Every activity the worker runs, mapped to the agent and tools it acts as; an activity not listed is denied. */
export const TOOL_GRANTS: Record<string, ToolGrant> = {
  planCampaign: { agent: 'orchestrator', tools: ['roster.read'], context: none },
  researchFacts: { agent: 'researcher', tools: ['kb.search', 'crm.segment', 'llm.generate'], context: none },
  draftCreativeBrief: { agent: 'strategist', tools: ['llm.generate'], context: none },
  writeVariants: { agent: 'copywriter', tools: ['llm.generate'], context: none },
  reviewVariants: { agent: 'reviewer', tools: ['content.review', 'llm.generate'], context: none },
  publishCampaign: {
    agent: 'publisher',
    tools: ['asset.publish'],
    context: (input) => {
      const { variants, approval } = input as PublishInput;
      return {
        // Recomputed here, outside the workflow, so a package whose content differs from the approved one is refused.
        contentHash: hashOf(variants),
        approvedContentHash: approval.contentHash,
        approvals: new Set(approval.approvedBy).size,
        requiredApprovals: approval.requiredApprovals,
      };
    },
  },
};
