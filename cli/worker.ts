import type { Command } from 'commander';
import { type TemporalTarget, temporalTarget } from '../client/connect';
import { firstLineOf } from '../client/errors';
import { codecFromEnv } from '../codec/data-converter';
import { CliError } from './errors';

/** Runs a campaign worker until SIGINT or SIGTERM, then drains and exits. */
export async function runWorker(target: TemporalTarget): Promise<void> {
  const { address, namespace, connectionOptions, taskQueue } = target;
  const codec = codecFromEnv();
  // Loaded here, not at the top: the worker SDK's native bridge costs every other command a second of start-up.
  const { NativeConnection } = await import('@temporalio/worker');
  const { workerPaths } = await import('../worker/config');
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
      },
      'worker started',
    );
    await worker.run();
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
    .action(() => runWorker(temporalTarget()));
}
