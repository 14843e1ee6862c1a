import type { ProviderReply } from './types';

/** Identifies one model call: a retried activity asks the same question under the same key. */
export interface CacheKey {
  workflowId: string;
  runId: string;
  activityId: string;
  promptHash: string;
}

/** Completed model answers that outlive the worker, so a retried activity does not pay for the same call twice. */
export interface ResponseCache {
  get(key: CacheKey): Promise<ProviderReply | undefined>;
  put(key: CacheKey, reply: ProviderReply): Promise<void>;
}

/** A {@link ResponseCache} that keeps nothing: for the offline model, whose answers cost nothing to compute again. */
export const NO_RESPONSE_CACHE: ResponseCache = {
  get: async () => undefined,
  put: async () => undefined,
};
