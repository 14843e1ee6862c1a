import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../activities';
import { createBudgetGuard } from '../activities/budget';
import { createFileDataStore } from '../activities/data-store';
import type { CodeVersion } from '../activities/deps';
import { governedActivities, ungovernedActivities } from '../activities/governed';
import { createModelGateway } from '../activities/model-gateway/gateway';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { createOfflineProvider } from '../activities/model-gateway/offline-provider';
import { createOpenAIProvider } from '../activities/model-gateway/openai-provider';
import { loadPromptTemplates } from '../activities/model-gateway/prompt-templates';
import { NO_RESPONSE_CACHE } from '../activities/model-gateway/response-cache';
import { fileNotifier, webhookNotifier } from '../activities/notifier';
import { campaignDataConverter } from '../codec/data-converter';
import { DEFAULT_MAX_CACHED_WORKFLOWS, type Settings } from '../config/settings';
import { cedarSchemaText } from '../domain/policy-context';
import { roleQueue, TASK_QUEUE, WORKER_ROLES, type WorkerRole } from '../domain/task-queue';
import { ensureInboxSecret } from '../keys/inbox-secret';
import { useNodeCrypto } from '../keys/node-crypto';
import { KEYRING_FILE } from '../keys/signing-keys';
import { readTsaRoots } from '../keys/timestamps';
import { readTrustFile } from '../keys/worker-keys';
import { loadPolicyEngine } from '../policies/engine';
import type { GovernanceStore } from '../store/governance-store';
import { codeVersion } from './code-version';

/** The workflow code: a prebuilt bundle (see `workflow-bundle.ts`), or the source path, which bundles at every start. */
export type WorkflowSource = Pick<WorkerOptions, 'workflowBundle'> | Pick<WorkerOptions, 'workflowsPath'>;

/** The slices of the settings that activity collaborators are made from. */
export type DepsSettings = Pick<
  Settings,
  'paths' | 'models' | 'notify' | 'inboxSecret' | 'demo' | 'login' | 'timestamps'
> & {
  temporal: Pick<Settings['temporal'], 'uiUrl'>;
  database: Pick<Settings['database'], 'workerKeysFile'>;
};

/**
 * Real activity collaborators from the configured folders and the shared governance `store`, for the code `code`
 * names; a broken policy file throws here (fail closed).
 */
export function productionDeps(
  settings: DepsSettings,
  store: GovernanceStore,
  code: CodeVersion = codeVersion(),
): ActivityDeps {
  const { paths, notify } = settings;
  const config = loadModelConfig(paths.modelConfigFile, settings.models);
  // One trust root in production: the roster's public keys. The demo's keyring beside them only when the demo says so.
  const data = createFileDataStore(
    paths.dataDir,
    settings.demo ? { keyringFile: join(paths.keyDir, KEYRING_FILE) } : {},
  );
  return {
    data,
    // Validated against the schema generated from the step catalogue: a policy that does not validate stops the worker.
    policies: loadPolicyEngine(paths.policyDir, { schema: cedarSchemaText() }),
    models: createModelGateway({
      config,
      templates: loadPromptTemplates(paths.promptDir),
      provider: config.provider === 'openai' ? createOpenAIProvider(config) : createOfflineProvider(),
      // Only paid answers are worth keeping: the offline model is deterministic and free.
      cache: config.provider === 'openai' ? store.cache : NO_RESPONSE_CACHE,
      budget: createBudgetGuard(store, data),
    }),
    outboxDir: paths.outboxDir,
    store,
    identity: `${hostname()}/${process.pid}`,
    trustedKeys: readTrustFile(settings.database.workerKeysFile),
    login: { issuer: settings.login.issuer, attesters: readTrustFile(settings.login.keysFile) },
    inboxSecret: ensureInboxSecret(paths.keyDir, settings.inboxSecret),
    notifier: notify.webhook ? webhookNotifier(notify.webhook, notify.webhookToken) : fileNotifier(notify.file),
    uiUrl: settings.temporal.uiUrl,
    ...(settings.timestamps.url
      ? {
          timestamps: {
            url: settings.timestamps.url,
            roots: settings.timestamps.rootsFile ? readTsaRoots(settings.timestamps.rootsFile) : [],
          },
        }
      : {}),
    code,
  };
}

/** How busy model-bound work may get: concurrent model activities per worker, and calls per second on the queue. */
export type ModelLimits = Settings['worker']['models'];

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
   * comes (a decision at the gate). {@link DEFAULT_MAX_CACHED_WORKFLOWS} unless given (`CAMPAIGN_MAX_CACHED_WORKFLOWS`).
   */
  maxCachedWorkflows?: number;
  /**
   * Only the benchmark sets this to false, to measure what governance costs; nothing else may, and the CLI cannot:
   * without the interceptor no policy decides anything.
   */
  governance?: boolean;
  /** Encrypts payloads (see `codec/`); none by default. */
  codec?: PayloadCodec | null;
  /** Limits on the models role (the settings' `CAMPAIGN_MODEL_*`); 8 at once and no rate limit unless given. */
  models?: ModelLimits;
  /** Versioned workers: campaigns stay on the build they started on. Unversioned by default. */
  deployment?: DeploymentVersion;
}): Promise<CampaignWorkers> {
  // The activities sign every receipt and checkpoint and hash every input: Node's crypto, not the pure-JavaScript code.
  useNodeCrypto();
  const { connection, namespace, deps, workflows, taskQueue = TASK_QUEUE, identity, deployment } = options;
  const roles = options.roles ?? WORKER_ROLES;
  const maxCachedWorkflows = options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  const limits = options.models ?? { concurrency: 8 };
  const activities = createActivities(deps);
  const shared = {
    connection,
    namespace,
    ...(identity ? { identity } : {}),
    dataConverter: campaignDataConverter(options.codec ?? null),
    activities,
    interceptors: { activity: [options.governance === false ? ungovernedActivities() : governedActivities(deps)] },
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
