import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashOf } from '../../domain/hash';
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
  get(key: CacheKey): ProviderReply | undefined;
  put(key: CacheKey, reply: ProviderReply): void;
}

/** A {@link ResponseCache} of one JSON file per call; writes are atomic (temp file, then rename). */
export function createFileResponseCache(dir: string): ResponseCache {
  mkdirSync(dir, { recursive: true });
  const fileOf = (key: CacheKey) => join(dir, `${hashOf(key)}.json`);
  return {
    get(key) {
      try {
        return JSON.parse(readFileSync(fileOf(key), 'utf8')) as ProviderReply;
      } catch {
        return undefined;
      }
    },
    put(key, reply) {
      const file = fileOf(key);
      writeFileSync(`${file}.partial`, JSON.stringify(reply));
      renameSync(`${file}.partial`, file);
    },
  };
}

/** A {@link ResponseCache} that keeps nothing: for the offline model, whose answers cost nothing to compute again. */
export const NO_RESPONSE_CACHE: ResponseCache = {
  get: () => undefined,
  put: () => undefined,
};
