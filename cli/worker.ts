import type { Command } from 'commander';
import { connectClient, type TemporalTarget, temporalTarget } from '../client/connect';
import { firstLineOf } from '../client/errors';
import { codecFromEnv } from '../codec/data-converter';
import { WORKER_ROLES, type WorkerRole } from '../domain/task-queue';
import { BAD_INPUT, CliError } from './errors';

/** What `campaign worker` was asked to be. */
export interface WorkerChoice {
  roles: WorkerRole[];
  /** Versioned: the deployment's name, this build's id, and whether to make it current once it polls. */
  deployment?: { deploymentName: string; buildId: string; makeCurrent: boolean };
}

/** Runs campaign workers for the chosen roles until SIGINT or SIGTERM, then drains and exits. */
export async function runWorker(
  target: TemporalTarget,
  choice: WorkerChoice = { roles: [...WORKER_ROLES] },
): Promise<void> {
  const { address, namespace, connectionOptions, taskQueue } = target;
  const codec = codecFromEnv();
  // Loaded here, not at the top: the worker SDK's native bridge costs every other command a second of start-up.
  const { NativeConnection } = await import('@temporalio/worker');
  const { workerPaths } = await import('../config/paths');
  const { createCampaignWorker, productionDeps } = await import('../worker/create-worker');
  const { workflowBundle } = await import('../worker/workflow-bundle');
  const { rootLogger } = await import('../worker/logger');
  const { installRuntime } = await import('../worker/runtime');
  installRuntime();
  const deps = productionDeps(workerPaths());
  const connection = await NativeConnection.connect({ ...connectionOptions, address }).catch((err: unknown) => {
    throw new CliError(
      `cannot reach Temporal at ${address}: start it with \`npx campaign dev --no-worker\` or set TEMPORAL_ADDRESS (${firstLineOf(err)})`,
      1,
      { cause: err },
    );
  });
  try {
    const worker = await createCampaignWorker({
      connection,
      namespace,
      taskQueue,
      deps,
      codec,
      roles: choice.roles,
      ...(choice.deployment
        ? { deployment: { deploymentName: choice.deployment.deploymentName, buildId: choice.deployment.buildId } }
        : {}),
      workflows: {
        workflowBundle: await workflowBundle({
          encodeFailures: codec !== null,
          progress: (line) => process.stderr.write(`${line}\n`),
        }),
      },
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
        deployment: choice.deployment
          ? `${choice.deployment.deploymentName}/${choice.deployment.buildId}`
          : 'unversioned',
      },
      'worker started',
    );
    const running = worker.run();
    if (choice.deployment?.makeCurrent) {
      const { makeCurrentVersion } = await import('../worker/deployment');
      const client = await connectClient(target, codec);
      try {
        await makeCurrentVersion(client, choice.deployment);
        rootLogger.info({ buildId: choice.deployment.buildId }, 'this build is now current: new campaigns start on it');
      } catch (err) {
        worker.shutdown();
        await running.catch(() => undefined);
        throw new CliError(firstLineOf(err), 1, { cause: err });
      } finally {
        await client.connection.close();
      }
    }
    await running;
  } finally {
    await connection.close();
  }
}

/** `campaign worker`: a worker for the Temporal named by `TEMPORAL_*` or a profile. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run a campaign worker against the configured Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, profile)',
    )
    .option(
      '--roles <roles>',
      `what this worker takes on, comma-separated: ${WORKER_ROLES.join(', ')}`,
      WORKER_ROLES.join(','),
    )
    .option(
      '--deployment <name>',
      'run as a version of this worker deployment (campaigns stay on the build they start on)',
    )
    .option('--build-id <id>', "this build's id in the deployment (default: the code version)")
    .option('--make-current', 'once polling, make this build current: new campaigns start on it')
    .action(async (opts: { roles: string; deployment?: string; buildId?: string; makeCurrent?: boolean }) => {
      const roles = opts.roles
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const unknown = roles.filter((r) => !(WORKER_ROLES as readonly string[]).includes(r));
      if (roles.length === 0 || unknown.length > 0) {
        throw new CliError(
          `--roles: '${unknown.join(',') || opts.roles}' is not among ${WORKER_ROLES.join(', ')}`,
          BAD_INPUT,
        );
      }
      const deploymentName = opts.deployment ?? process.env.CAMPAIGN_DEPLOYMENT;
      if (!deploymentName && (opts.buildId || opts.makeCurrent)) {
        throw new CliError('--build-id and --make-current need --deployment (or CAMPAIGN_DEPLOYMENT)', BAD_INPUT);
      }
      if (opts.buildId !== undefined && !/^[\w.-]{1,100}$/.test(opts.buildId)) {
        throw new CliError(`--build-id: '${opts.buildId}' is not a build id (letters, digits, . _ -)`, BAD_INPUT);
      }
      const { codeVersion } = await import('../worker/code-version');
      await runWorker(temporalTarget(), {
        roles: roles as WorkerRole[],
        ...(deploymentName
          ? {
              deployment: {
                deploymentName,
                buildId: opts.buildId ?? codeVersion().buildId,
                makeCurrent: opts.makeCurrent ?? false,
              },
            }
          : {}),
      });
    });
}
