import { NativeConnection } from '@temporalio/worker';
import { connectClient } from '../client/connect';
import { firstLineOf } from '../client/errors';
import { codecFrom } from '../codec/data-converter';
import type { Settings } from '../config/settings';
import type { WorkerRole } from '../domain/task-queue';
import { KeyError } from '../keys/key-error';
import { DatabaseError } from '../store/database-error';
import { agreeWithDeployment, DeploymentMismatch } from '../store/deployment-facts';
import { openWorkerStore } from '../store/open-store';
import { codeVersion } from './code-version';
import { createCampaignWorker, productionDeps } from './create-worker';
import { type DeploymentVersion, describeDeployment, makeCurrentVersion } from './deployment';
import { rootLogger } from './logger';
import { installRuntime } from './runtime';
import { workflowBundle } from './workflow-bundle';

/** What a worker process is asked to be. */
export interface WorkerChoice {
  roles: WorkerRole[];
  /**
   * When this build becomes current: `always` once it polls (the dev supervisor, `--make-current`), `if-none` only
   * when the deployment has no current build yet (a first deployment), `never` for a build an operator ramps by hand.
   */
  makeCurrent: 'always' | 'if-none' | 'never';
  /** This build's id; the workflow code's hash by default. */
  buildId?: string;
  /** A prebuilt workflow bundle to run instead of today's workflow code: a build whose campaigns are still running. */
  workflowBundlePath?: string;
}

/** A worker that cannot start, in one line for its operator. */
export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
}

/**
 * Runs the campaign workers of one process for `choice.roles` until SIGINT or SIGTERM, then drains and exits. They are
 * a version of the settings' worker deployment (PINNED: every campaign stays on the build it started on) unless the
 * deployment is `none`. Tells a supervising parent process which build it runs once it polls.
 */
export async function runWorker(settings: Settings, choice: WorkerChoice): Promise<void> {
  const { address, namespace, connectionOptions, taskQueue } = settings.temporal;
  const codec = codecFrom(settings.codec);
  if (settings.logLevel) rootLogger.level = settings.logLevel;
  installRuntime();
  const bundle = choice.workflowBundlePath
    ? { codePath: choice.workflowBundlePath, buildId: choice.buildId ?? '' }
    : await workflowBundle({
        cacheDir: settings.paths.bundleDir,
        encodeFailures: codec !== null,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
  const buildId = choice.buildId ?? bundle.buildId;
  if (!buildId) throw new WorkerStartError('--workflow-bundle needs --build-id: the build the bundle was made from');
  const deployment: DeploymentVersion | null = settings.worker.deployment
    ? { deploymentName: settings.worker.deployment, buildId }
    : null;
  const store = await openWorkerStore(settings).catch((err: unknown) => {
    throw err instanceof DatabaseError || err instanceof KeyError
      ? new WorkerStartError(err.message, { cause: err })
      : err;
  });
  let deps: ReturnType<typeof productionDeps>;
  try {
    deps = productionDeps(settings, store, codeVersion(buildId));
    await agreeWithDeployment(store, { inboxSecret: deps.inboxSecret, codec: settings.codec });
  } catch (err) {
    await store.close();
    throw err instanceof DeploymentMismatch ? new WorkerStartError(err.message, { cause: err }) : err;
  }
  const connection = await NativeConnection.connect({ ...connectionOptions, address }).catch((err: unknown) => {
    throw new WorkerStartError(
      `cannot reach Temporal at ${address}: start it with \`npx campaign dev --no-worker\` or set TEMPORAL_ADDRESS (${firstLineOf(err)})`,
      { cause: err },
    );
  });
  try {
    const workers = await createCampaignWorker({
      connection,
      namespace,
      taskQueue,
      deps,
      codec,
      roles: choice.roles,
      maxCachedWorkflows: settings.worker.maxCachedWorkflows,
      models: settings.worker.models,
      ...(deployment ? { deployment } : {}),
      workflows: { workflowBundle: { codePath: bundle.codePath } },
    });
    rootLogger.info(
      {
        address,
        namespace,
        taskQueue,
        policySetHash: deps.policies.policySetHash,
        modelProvider: deps.models.provider,
        payloads: codec ? 'encrypted' : 'not encrypted',
        roles: choice.roles,
        deployment: deployment ? `${deployment.deploymentName}/${deployment.buildId}` : 'unversioned',
      },
      'worker started',
    );
    const running = workers.run();
    if (deployment) {
      try {
        await settleVersion(settings, codec, deployment, choice.makeCurrent);
      } catch (err) {
        workers.shutdown();
        await running.catch(() => undefined);
        throw new WorkerStartError(firstLineOf(err), { cause: err });
      }
    }
    process.send?.({ kind: 'worker-started', buildId, deployment: deployment?.deploymentName ?? null });
    await running;
    rootLogger.info({ taskQueue }, 'worker stopped');
  } finally {
    await connection.close();
    await store.close();
  }
}

/** Makes this build current when asked to (or when the deployment has none yet); otherwise says which build is. */
async function settleVersion(
  settings: Settings,
  codec: ReturnType<typeof codecFrom>,
  version: DeploymentVersion,
  makeCurrent: WorkerChoice['makeCurrent'],
): Promise<void> {
  const client = await connectClient(settings.temporal, codec);
  try {
    const current = (await describeDeployment(client, version.deploymentName)).current;
    if (current === version.buildId) return;
    if (makeCurrent === 'always' || (makeCurrent === 'if-none' && current === null)) {
      await makeCurrentVersion(client, version);
      rootLogger.info({ buildId: version.buildId }, 'this build is now current: new campaigns start on it');
      return;
    }
    rootLogger.warn(
      { buildId: version.buildId, current },
      `build ${version.buildId} polls but is not current: new campaigns start on ${current}. Make it current with ` +
        '`npx campaign worker --make-current` or `temporal worker deployment set-current-version ' +
        `--deployment-name ${version.deploymentName} --build-id ${version.buildId}\``,
    );
  } finally {
    await client.connection.close();
  }
}
