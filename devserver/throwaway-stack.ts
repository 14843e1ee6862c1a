import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { settings } from '../config/settings';
import { TASK_QUEUE } from '../domain/task-queue';
import { openWorkerStore } from '../store/open-store';
import { createCampaignWorker, productionDeps } from '../worker/create-worker';
import { installRuntime } from '../worker/runtime';
import { workflowBundle } from '../worker/workflow-bundle';
import { provisionRosterKeys } from './demo-keys';
import { startDevServer } from './dev-server';
import { freePort } from './free-port';
import { startLocalStore } from './local-store';

/** What a throwaway stack hands the function it runs. */
export interface ThrowawayStack {
  client: Client;
  taskQueue: string;
  /** Signing keys for the example roster, made for this stack. */
  keyDir: string;
}

/**
 * Runs `fn` against a private, in-memory dev server with one worker (models chosen by the environment; outbox, model
 * cache and signing keys in a temp folder), then tears everything down. For scripts that must not touch `npm start`'s
 * data.
 */
export async function withThrowawayStack<T>(fn: (stack: ThrowawayStack) => Promise<T>): Promise<T> {
  installRuntime();
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'campaign-stack-'));
  const keyDir = join(scratch, 'keys');
  const base = settings();
  provisionRosterKeys(base.paths.dataDir, keyDir);
  const server = await startDevServer({ port, uiPort: port + 1, headless: true });
  const local = await startLocalStore({ dataDir: join(scratch, 'postgres'), port: await freePort() });
  try {
    const database = {
      ...base.database,
      url: local.url,
      workerKeyFile: join(keyDir, 'worker', 'worker.key'),
      workerKeysFile: join(keyDir, 'worker-keys.yaml'),
    };
    const store = await openWorkerStore({ database, demo: true });
    const connection = await NativeConnection.connect({ address: server.address });
    const notifyFile = join(scratch, 'notifications.jsonl');
    const deps = productionDeps(
      {
        ...base,
        // A throwaway stack is a demo: the keys it just made are trusted on first use.
        demo: true,
        database,
        paths: {
          ...base.paths,
          outboxDir: join(scratch, 'outbox'),
          keyDir,
          notifyFile,
        },
        notify: { file: notifyFile },
      },
      store,
    );
    const worker = await createCampaignWorker({
      connection,
      namespace: 'default',
      deps,
      workflows: {
        workflowBundle: await workflowBundle({
          cacheDir: base.paths.bundleDir,
          progress: (line) => process.stderr.write(`${line}\n`),
        }),
      },
    });
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    try {
      return await worker.runUntil(() => fn({ client, taskQueue: TASK_QUEUE, keyDir }));
    } finally {
      await client.connection.close();
      await connection.close();
      await store.close();
    }
  } finally {
    await local.stop();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
