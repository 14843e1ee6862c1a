import { OFFLINE_MODEL } from './offline';
import type { ModelProvider, ModelRequest, ProviderReply } from './types';

/**
 * The offline model: deterministic, free, and honest about it (`provider: offline` in every output). Each agent says
 * what the offline model answers for it, built from the brief and the retrieved facts, so the whole pipeline runs
 * without an API key.
 */
export function createOfflineProvider(): ModelProvider {
  return {
    name: 'offline',
    async complete(request: ModelRequest<unknown>): Promise<ProviderReply> {
      return { text: JSON.stringify(request.offline()), model: OFFLINE_MODEL, inputTokens: 0, outputTokens: 0 };
    },
  };
}
