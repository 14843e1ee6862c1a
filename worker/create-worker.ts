import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities';
import { createFileDataStore } from '../activities/data-store';
import { governedActivities } from '../activities/governed';
import { createModelGateway } from '../activities/model-gateway/gateway';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { createOfflineProvider } from '../activities/model-gateway/offline-provider';
import { createOpenAIProvider } from '../activities/model-gateway/openai-provider';
import { loadPromptTemplates } from '../activities/model-gateway/prompt-templates';
import { createFileResponseCache } from '../activities/model-gateway/response-cache';
import { TASK_QUEUE } from '../domain/task-queue';
import { loadPolicyEngine } from '../policies/engine';
import type { WorkerPaths } from './config';

/** The workflow code: a prebuilt bundle (see `workflow-bundle.ts`), or the source path, which bundles at every start. */
export type WorkflowSource = Pick<WorkerOptions, 'workflowBundle'> | Pick<WorkerOptions, 'workflowsPath'>;

/** Real activity collaborators from the configured folders; a broken policy file throws here (fail closed). */
export function productionDeps(paths: WorkerPaths, env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  const config = loadModelConfig(paths.modelConfigFile, env);
  return {
    data: createFileDataStore(paths.dataDir),
    policies: loadPolicyEngine(paths.policyDir),
    models: createModelGateway({
      config,
      templates: loadPromptTemplates(paths.promptDir),
      provider: config.provider === 'openai' ? createOpenAIProvider(config) : createOfflineProvider(),
      cache: createFileResponseCache(paths.cacheDir),
    }),
    outboxDir: paths.outboxDir,
  };
}

/** Creates a campaign worker on `connection`, with every activity behind the governance interceptor. */
export async function createCampaignWorker(options: {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  workflows: WorkflowSource;
  taskQueue?: string;
  identity?: string;
}): Promise<Worker> {
  const { connection, namespace, deps, workflows, taskQueue = TASK_QUEUE, identity } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(identity ? { identity } : {}),
    ...workflows,
    activities: createActivities(deps),
    interceptors: { activity: [governedActivities(deps.policies)] },
  });
}
