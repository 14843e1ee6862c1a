import { join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities';
import { createFileAuditStore } from '../activities/audit-store';
import { createBudgetGuard } from '../activities/budget';
import { createFileDataStore } from '../activities/data-store';
import { governedActivities } from '../activities/governed';
import { createModelGateway } from '../activities/model-gateway/gateway';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { createOfflineProvider } from '../activities/model-gateway/offline-provider';
import { createOpenAIProvider } from '../activities/model-gateway/openai-provider';
import { loadPromptTemplates } from '../activities/model-gateway/prompt-templates';
import { createFileResponseCache, NO_RESPONSE_CACHE } from '../activities/model-gateway/response-cache';
import { fileNotifier, webhookNotifier } from '../activities/notifier';
import { ensureInboxSecret, ensureWorkerKey, KEYRING_FILE } from '../client/keys';
import { campaignDataConverter } from '../codec/data-converter';
import { cedarSchemaText } from '../domain/policy-context';
import { TASK_QUEUE } from '../domain/task-queue';
import { loadPolicyEngine } from '../policies/engine';
import { codeVersion } from './code-version';
import type { WorkerPaths } from './config';

/** The workflow code: a prebuilt bundle (see `workflow-bundle.ts`), or the source path, which bundles at every start. */
export type WorkflowSource = Pick<WorkerOptions, 'workflowBundle'> | Pick<WorkerOptions, 'workflowsPath'>;

/** Real activity collaborators from the configured folders; a broken policy file throws here (fail closed). */
export function productionDeps(paths: WorkerPaths, env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  const config = loadModelConfig(paths.modelConfigFile, env);
  const data = createFileDataStore(paths.dataDir, { keyringFile: join(paths.keyDir, KEYRING_FILE) });
  const audit = createFileAuditStore(paths.auditDir, ensureWorkerKey(paths.keyDir));
  return {
    data,
    // Validated against the schema generated from the step catalogue: a policy that does not validate stops the worker.
    policies: loadPolicyEngine(paths.policyDir, { schema: cedarSchemaText() }),
    models: createModelGateway({
      config,
      templates: loadPromptTemplates(paths.promptDir),
      provider: config.provider === 'openai' ? createOpenAIProvider(config) : createOfflineProvider(),
      // Only paid answers are worth keeping: the offline model is deterministic and free.
      cache: config.provider === 'openai' ? createFileResponseCache(paths.cacheDir) : NO_RESPONSE_CACHE,
      budget: createBudgetGuard(paths.auditDir, data, audit),
    }),
    outboxDir: paths.outboxDir,
    audit,
    inboxSecret: ensureInboxSecret(paths.keyDir, env),
    notifier: env.CAMPAIGN_NOTIFY_WEBHOOK
      ? webhookNotifier(env.CAMPAIGN_NOTIFY_WEBHOOK, env.CAMPAIGN_NOTIFY_WEBHOOK_TOKEN)
      : fileNotifier(paths.notifyFile),
    code: codeVersion(),
  };
}

/** Workflows kept in the worker's cache by default: enough for a busy inbox, and a bound on the worker's memory. */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 100;

/** Creates a campaign worker on `connection`, with every activity behind the governance interceptor. */
export async function createCampaignWorker(options: {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  workflows: WorkflowSource;
  taskQueue?: string;
  identity?: string;
  /**
   * Workflows kept in memory between tasks; an evicted campaign is replayed from its history when its next task
   * comes (a decision at the gate). Default {@link DEFAULT_MAX_CACHED_WORKFLOWS}, or `CAMPAIGN_MAX_CACHED_WORKFLOWS`.
   */
  maxCachedWorkflows?: number;
  /**
   * Only the benchmark sets this to false, to measure what governance costs; nothing else may, and the CLI cannot:
   * without the interceptor no policy decides anything.
   */
  governance?: boolean;
  /** Encrypts payloads (see `codec/`); none by default. */
  codec?: PayloadCodec | null;
}): Promise<Worker> {
  const { connection, namespace, deps, workflows, taskQueue = TASK_QUEUE, identity } = options;
  const maxCachedWorkflows =
    options.maxCachedWorkflows ?? (Number(process.env.CAMPAIGN_MAX_CACHED_WORKFLOWS) || DEFAULT_MAX_CACHED_WORKFLOWS);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(identity ? { identity } : {}),
    ...workflows,
    maxCachedWorkflows,
    dataConverter: campaignDataConverter(options.codec ?? null),
    activities: createActivities(deps),
    interceptors: { activity: options.governance === false ? [] : [governedActivities(deps)] },
  });
}
