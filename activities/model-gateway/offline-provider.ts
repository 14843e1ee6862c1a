import type { Brief } from '../../domain/brief';
import type { CreativeBrief, Research } from '../../domain/campaign';
import { OFFLINE_MODEL, offlineCreativeBrief, offlineVariants } from './offline';
import type { ModelProvider, ModelRequest, ProviderReply } from './types';

/** What each role hands the offline model instead of a prompt it could read. */
export type OfflineInput =
  | { role: 'researcher'; retrievedIds: string[] }
  | { role: 'strategist'; brief: Brief; research: Research }
  | {
      role: 'copywriter';
      brief: Brief;
      creativeBrief: CreativeBrief;
      research: Research;
      feedback: string[];
      disclaimer?: string;
    }
  | { role: 'reviewer' };

/**
 * The offline model: deterministic, free, and honest about it (`provider: offline` in every output). It builds
 * schema-valid answers from the brief and the retrieved facts, so the whole pipeline runs without an API key.
 */
export function createOfflineProvider(): ModelProvider {
  return {
    name: 'offline',
    async complete(request: ModelRequest<unknown>): Promise<ProviderReply> {
      return {
        text: JSON.stringify(answer(request.offlineInput as OfflineInput)),
        model: OFFLINE_MODEL,
        inputTokens: 0,
        outputTokens: 0,
      };
    },
  };
}

function answer(input: OfflineInput): unknown {
  switch (input.role) {
    case 'researcher':
      return { factIds: input.retrievedIds, rationale: 'offline model: every retrieved fact' };
    case 'strategist':
      return offlineCreativeBrief(input.brief, input.research);
    case 'copywriter':
      return {
        variants: offlineVariants(input.brief, input.creativeBrief, input.research, input.feedback, input.disclaimer),
      };
    case 'reviewer':
      return { advisories: [] };
    default:
      return input satisfies never;
  }
}
