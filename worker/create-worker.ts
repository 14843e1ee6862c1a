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
import type { WorkerPaths } from '../config/paths';
import { cedarSchemaText } from '../domain/policy-context';
import { roleQueue, TASK_QUEUE, WORKER_ROLES, type WorkerRole } from '../domain/task-queue';
import { loadPolicyEngine } from '../policies/engine';
import { codeVersion } from './code-version';

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

/** How busy model-bound work may get: concurrent model activities per worker, and calls per second on the queue. */
export interface ModelLimits {
  /** Model activities one worker runs at once (`CAMPAIGN_MODEL_CONCURRENCY`, default 8). */
  concurrency: number;
  /** Model activities started per second across the whole models queue (`CAMPAIGN_MODEL_RATE`); none by default. */
  perSecond?: number;
}

/** The model limits from the environment. */
export function modelLimits(env: NodeJS.ProcessEnv = process.env): ModelLimits {
  const concurrency = Number(env.CAMPAIGN_MODEL_CONCURRENCY ?? 8);
  const perSecond = env.CAMPAIGN_MODEL_RATE === undefined ? undefined : Number(env.CAMPAIGN_MODEL_RATE);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`CAMPAIGN_MODEL_CONCURRENCY: '${env.CAMPAIGN_MODEL_CONCURRENCY}' is not a whole number above 0`);
  }
  if (perSecond !== undefined && !(perSecond > 0)) {
    throw new Error(`CAMPAIGN_MODEL_RATE: '${env.CAMPAIGN_MODEL_RATE}' is not a number above 0`);
  }
  return { concurrency, ...(perSecond ? { perSecond } : {}) };
}

/**
 * The workers of one process, one per role (each role polls its own task queue); run and stopped together. A
 * worker deployment version pins every campaign to the build it started on: a new build takes new campaigns once it
 * is made current, while running ones finish on the old workers.
 */
export class CampaignWorkers {
  constructor(readonly byRole: ReadonlyMap<WorkerRole, Worker>) {}

  get workers(): Worker[] {
    return [...this.byRole.values()];
  }

  /** Runs every worker until all have stopped; if one fails, the others are shut down too. */
  async run(): Promise<void> {
    const runs = this.workers.map((w) => w.run());
    try {
      await Promise.all(runs);
    } catch (err) {
      this.shutdown();
      await Promise.allSettled(runs);
      throw err;
    }
  }

  /** Asks every worker to stop; `run()` resolves once they have drained. */
  shutdown(): void {
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  }

  /** Runs the workers while `fn` runs, then stops them. */
  async runUntil<T>(fn: () => Promise<T>): Promise<T> {
    const running = this.run();
    try {
      return await fn();
    } finally {
      this.shutdown();
      await running;
    }
  }
}

/** Which build a worker is, when workers are versioned: the deployment's name and this build's id. */
export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * Creates the campaign workers on `connection` for `roles` (default: all), every activity behind the governance
 * interceptor. The `workflows` role runs workflow tasks and every activity a campaign schedules on its own queue
 * (local activities, and campaigns started before role queues); the others run their role's activities.
 */
export async function createCampaignWorker(options: {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  workflows: WorkflowSource;
  taskQueue?: string;
  roles?: readonly WorkerRole[];
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
  /** Limits on the models role; from the environment by default. */
  models?: ModelLimits;
  /** Versioned workers: campaigns stay on the build they started on. Unversioned by default. */
  deployment?: DeploymentVersion;
}): Promise<CampaignWorkers> {
  const { connection, namespace, deps, workflows, taskQueue = TASK_QUEUE, identity, deployment } = options;
  const roles = options.roles ?? WORKER_ROLES;
  const maxCachedWorkflows =
    options.maxCachedWorkflows ?? (Number(process.env.CAMPAIGN_MAX_CACHED_WORKFLOWS) || DEFAULT_MAX_CACHED_WORKFLOWS);
  const limits = options.models ?? modelLimits();
  const activities = createActivities(deps);
  const shared = {
    connection,
    namespace,
    ...(identity ? { identity } : {}),
    dataConverter: campaignDataConverter(options.codec ?? null),
    activities,
    interceptors: { activity: options.governance === false ? [] : [governedActivities(deps)] },
    ...(deployment
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true as const,
            version: deployment,
            defaultVersioningBehavior: 'PINNED' as const,
          },
        }
      : {}),
  };
  const byRole = new Map<WorkerRole, Worker>();
  try {
    for (const role of roles) {
      const worker = await Worker.create({
        ...shared,
        taskQueue: roleQueue(taskQueue, role),
        ...(role === 'workflows' ? { ...workflows, maxCachedWorkflows } : {}),
        ...(role === 'models'
          ? {
              maxConcurrentActivityTaskExecutions: limits.concurrency,
              ...(limits.perSecond ? { maxTaskQueueActivitiesPerSecond: limits.perSecond } : {}),
            }
          : {}),
      });
      byRole.set(role, worker);
    }
  } catch (err) {
    for (const worker of byRole.values()) worker.shutdown();
    throw err;
  }
  return new CampaignWorkers(byRole);
}
