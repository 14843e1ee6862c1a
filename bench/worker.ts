import { join } from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { settings } from '../config/settings';
import { openWorkerStore } from '../store/open-store';
import { createCampaignWorker, productionDeps } from '../worker/create-worker';
import { installRuntime } from '../worker/runtime';
import { WORKFLOWS_PATH, workflowBundle } from '../worker/workflow-bundle';
import * as noopActivities from './noop-activities';

/**
 * A worker for the benchmark, in a process of its own so its CPU and memory can be read: `governed` (as in
 * production), `ungoverned` (the same without the policy interceptor), `unbundled` (governed, bundling the workflow
 * code at start, the old way), or `bare` (the baseline workflow, `BENCH_BARE_BUNDLE`).
 */
const mode = process.argv[2] ?? 'governed';
installRuntime();
const base = settings();
const { address, namespace, taskQueue } = base.temporal;
const connection = await NativeConnection.connect({ address });
let worker: Pick<Worker, 'run'>;
if (mode === 'bare') {
  worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowBundle: { codePath: process.env.BENCH_BARE_BUNDLE ?? '' },
    activities: noopActivities,
  });
} else {
  const scratch = process.env.BENCH_SCRATCH ?? '/tmp';
  const store = await openWorkerStore(base);
  const deps = productionDeps({ ...base, paths: { ...base.paths, outboxDir: join(scratch, `outbox-${mode}`) } }, store);
  worker = await createCampaignWorker({
    connection,
    namespace,
    taskQueue,
    deps,
    governance: mode !== 'ungoverned',
    workflows:
      mode === 'unbundled'
        ? { workflowsPath: WORKFLOWS_PATH }
        : { workflowBundle: await workflowBundle({ cacheDir: base.paths.bundleDir }) },
  });
}
await worker.run();
await connection.close();
