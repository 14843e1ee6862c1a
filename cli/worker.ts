import { NativeConnection } from '@temporalio/worker';
import type { Command } from 'commander';
import { temporalTarget, workerPaths } from '../worker/config';
import { createCampaignWorker, productionDeps, WORKFLOWS_PATH } from '../worker/create-worker';
import { rootLogger } from '../worker/logger';
import { installRuntime } from '../worker/runtime';
import { CliError } from './errors';

/** Runs a campaign worker until SIGINT or SIGTERM, then drains and exits. */
export async function runWorker(address: string, namespace: string, connectionOptions: object = {}): Promise<void> {
  installRuntime();
  const deps = productionDeps(workerPaths());
  const connection = await NativeConnection.connect({ ...connectionOptions, address }).catch(() => {
    throw new CliError(
      `cannot reach Temporal at ${address}: start it with \`npx campaign dev --no-worker\` or set TEMPORAL_ADDRESS`,
    );
  });
  try {
    const worker = await createCampaignWorker({
      connection,
      namespace,
      deps,
      workflows: { workflowsPath: WORKFLOWS_PATH },
    });
    rootLogger.info(
      { address, namespace, policySetHash: deps.policies.policySetHash, model: 'offline' },
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
    .action(async () => {
      const { address, namespace, connectionOptions } = temporalTarget();
      await runWorker(address, namespace, connectionOptions);
    });
}
