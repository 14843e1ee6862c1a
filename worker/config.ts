import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder, wherever it is run from. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Where the worker reads data, writes packages, and finds its policies. */
export interface WorkerPaths {
  dataDir: string;
  outboxDir: string;
  policyDir: string;
  promptDir: string;
  modelConfigFile: string;
  /** Durable model-response cache, so a retried activity does not pay twice. */
  cacheDir: string;
}

/** Paths from the `CAMPAIGN_*_DIR` variables, defaulting to the project's own folders. */
export function workerPaths(env: NodeJS.ProcessEnv = process.env): WorkerPaths {
  return {
    dataDir: resolve(env.CAMPAIGN_DATA_DIR ?? resolve(PROJECT_ROOT, 'examples')),
    outboxDir: resolve(env.CAMPAIGN_OUTBOX_DIR ?? resolve(PROJECT_ROOT, 'outbox')),
    policyDir: resolve(env.CAMPAIGN_POLICY_DIR ?? resolve(PROJECT_ROOT, 'policies')),
    promptDir: resolve(env.CAMPAIGN_PROMPT_DIR ?? resolve(PROJECT_ROOT, 'prompts')),
    modelConfigFile: resolve(env.CAMPAIGN_MODEL_CONFIG ?? resolve(PROJECT_ROOT, 'config', 'models.yaml')),
    cacheDir: resolve(env.CAMPAIGN_CACHE_DIR ?? resolve(PROJECT_ROOT, '.data', 'model-cache')),
  };
}
