import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { workflowPollers } from '../client/pollers';
import { settings } from '../config/settings';
import { type SupervisedWorker, superviseWorker } from '../worker/supervisor';
import { provisionRosterKeys } from './demo-keys';
import { type DevServer, startDevServer } from './dev-server';
import { freePort } from './free-port';
import { startLocalStore } from './local-store';
import type { LocalPostgres } from './postgres';

/** A private dev server and a supervised `campaign worker` process on it, for the soak, fault and bench commands. */
export interface ProcessStack {
  readonly server: DevServer;
  readonly client: Client;
  readonly taskQueue: string;
  /** Scratch folder with the outbox, the model cache and the server's database. */
  readonly scratch: string;
  readonly outboxDir: string;
  /** Signing keys for the example roster, made for this stack; the worker reads their public keys. */
  readonly keyDir: string;
  readonly worker: SupervisedWorker;
  /** The governance store's PostgreSQL server, which the fault test kills and restarts. */
  readonly postgres: LocalPostgres;
  /** The worker role's URL of the store. */
  readonly databaseUrl: string;
  /** Waits until the worker process running now polls the task queue. */
  workerReady(timeoutMs?: number): Promise<void>;
  /** Stops the server and starts it again on the same port and database; campaigns survive. */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the stack: the server keeps a SQLite file in the scratch folder, so it can be restarted with its campaigns. */
export async function startProcessStack(
  options: { workerEnv?: Record<string, string>; report?: (line: string) => void; maxRestartDelayMs?: number } = {},
): Promise<ProcessStack> {
  const scratch = mkdtempSync(join(tmpdir(), 'campaign-stack-'));
  const port = await freePort();
  const dbFilename = join(scratch, 'temporal.sqlite');
  let server = await startDevServer({ port, uiPort: port + 1, headless: true, dbFilename });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const taskQueue = 'campaigns';
  const outboxDir = join(scratch, 'outbox');
  const keyDir = join(scratch, 'keys');
  provisionRosterKeys(settings().paths.dataDir, keyDir);
  const local = await startLocalStore({ dataDir: join(scratch, 'postgres'), port: await freePort() });
  const worker = superviseWorker({
    env: {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: 'default',
      CAMPAIGN_TASK_QUEUE: taskQueue,
      CAMPAIGN_OUTBOX_DIR: outboxDir,
      CAMPAIGN_KEY_DIR: keyDir,
      CAMPAIGN_DATABASE_URL: local.url,
      CAMPAIGN_DEMO: '1',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      LOG_LEVEL: 'error',
      ...options.workerEnv,
    },
    ...(options.report ? { report: options.report } : {}),
    ...(options.maxRestartDelayMs ? { maxDelayMs: options.maxRestartDelayMs } : {}),
  });
  const stack: ProcessStack = {
    get server() {
      return server;
    },
    client,
    taskQueue,
    scratch,
    outboxDir,
    keyDir,
    worker,
    postgres: local.postgres,
    databaseUrl: local.url,
    async workerReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const pid = worker.current?.pid;
        const pollers = pid ? await workflowPollers(client, taskQueue).catch(() => []) : [];
        if (pollers.some((p) => p.identity.startsWith(`${pid}@`))) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no worker polled ${taskQueue} within ${timeoutMs} ms`);
    },
    async restartServer() {
      await server.stop();
      server = await startDevServer({ port, uiPort: port + 1, headless: true, dbFilename });
    },
    async stop() {
      await worker.stop();
      await client.connection.close();
      await server.stop();
      await local.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  await stack.workerReady();
  return stack;
}
