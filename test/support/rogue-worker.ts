import { resolve } from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';
import { quietLogger } from './quiet-logger';

/** An insider's worker of their own, running the workflows of one file on a task queue of their own. */
export interface RogueWorker {
  stop(): Promise<void>;
}

/** Starts a worker for the workflows in `workflowsPath` (relative to the project) on `taskQueue`, on the test server. */
export async function startRogueWorker(workflowsPath: string, taskQueue: string): Promise<RogueWorker> {
  const bundle = await bundleWorkflowCode({ workflowsPath: resolve(PROJECT_ROOT, workflowsPath), logger: quietLogger });
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle: bundle });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
