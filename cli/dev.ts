import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Command } from 'commander';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { readBriefFile } from '../client/brief-file';
import { temporalTarget, workflowUrl } from '../client/connect';
import { startCampaign } from '../client/start';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { PROJECT_ROOT, workerPaths } from '../worker/config';
import { superviseWorker } from '../worker/supervisor';
import { BAD_INPUT, CliError } from './errors';
import { INBOX_QUERY } from './inbox';

interface DevOptions {
  worker: boolean;
  port: string;
  uiPort: string;
  db: string;
  sample?: string;
  requestedBy: string;
}

/** `campaign dev`: the dev server with a file database, the UI, a worker, and optionally a sample campaign. */
export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('run the Temporal dev server (UI on :8233) and a worker, restarted if it dies, until Ctrl-C')
    .option('--no-worker', 'start only the server')
    .option('--port <port>', 'gRPC port', '7233')
    .option('--ui-port <port>', 'Temporal UI port', '8233')
    .option(
      '--db <file>',
      'SQLite database; campaigns survive restarts',
      resolve(PROJECT_ROOT, '.data', 'temporal.sqlite'),
    )
    .option('--sample <brief>', 'start this brief as the sample campaign once everything runs')
    .option('--requested-by <user>', 'requester of the sample campaign', 'lena.vogel')
    .action(async (opts: DevOptions) => {
      // The banner is what a person reads here; worker chatter waits for LOG_LEVEL=info.
      const { rootLogger } = await import('../worker/logger');
      if (!process.env.LOG_LEVEL) rootLogger.level = 'warn';
      const { startDevServer } = await import('../devserver/dev-server');
      const port = parsePort(opts.port, '--port');
      const uiPort = parsePort(opts.uiPort, '--ui-port');
      const sample = opts.sample ? readBriefFile(opts.sample) : undefined;
      if (sample) {
        // The sample brand requires signed decisions; the demo makes local keys so its approve command works.
        const { dataDir, keyDir } = workerPaths();
        const made = provisionRosterKeys(dataDir, keyDir);
        if (made.length > 0) {
          process.stderr.write(
            `made local signing keys (demo only) for ${made.join(', ')} in ${keyDir}; in production each approver ` +
              'makes their own with `npx campaign keys new` and the roster holds the public keys\n',
          );
        }
      }
      await assertFree(port, '--port');
      await assertFree(uiPort, '--ui-port');
      process.stderr.write(`starting Temporal dev server on 127.0.0.1:${port} (database ${opts.db}) ...\n`);
      const server = await startDevServer({ port, uiPort, dbFilename: resolve(opts.db) });
      const address = server.address;
      process.env.TEMPORAL_UI_URL ??= server.uiUrl;
      console.log(
        `Temporal UI: ${server.uiUrl}   (inbox: ${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(INBOX_QUERY)})`,
      );
      try {
        if (sample) {
          const connection = await Connection.connect({ address });
          const client = new Client({ connection, namespace: server.namespace });
          const { id, running } = await sampleSlot(client, 'sample-green-tariff-launch');
          if (!running) await startCampaign(client, sample, opts.requestedBy, id, temporalTarget().taskQueue);
          await connection.close();
          console.log(
            [
              `${running ? 'sample campaign still running' : 'sample campaign started'}: ${workflowUrl(id)}`,
              'when it reaches the approval inbox (a few seconds):',
              '  npx campaign inbox',
              `  npx campaign approve ${id} --as jonas.weber      (shows the content and asks you to confirm)`,
              `  npx campaign status ${id}`,
              `${modelBanner()}; press Ctrl-C to stop server and worker`,
            ].join('\n'),
          );
        }
        const stopped = new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done));
        if (opts.worker) {
          // A separate process, so a worker that crashes is started again while the server and the UI stay up.
          const worker = superviseWorker({
            env: { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: server.namespace, LOG_LEVEL: rootLogger.level },
          });
          await stopped;
          process.stderr.write('stopping the worker ...\n');
          await worker.stop();
        } else await stopped;
      } finally {
        process.stderr.write('stopping Temporal dev server ...\n');
        await server.stop();
      }
    });
}

/**
 * Where the sample campaign lives: the running one if there is one, else the first id in `base`, `base-2`, ... that
 * has never been used (a finished campaign's id is never run again).
 */
async function sampleSlot(client: Client, base: string): Promise<{ id: string; running: boolean }> {
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const status = await client.workflow
      .getHandle(id)
      .describe()
      .then(
        (d) => d.status.name,
        () => null,
      );
    if (status === null) return { id, running: false };
    if (status === 'RUNNING') return { id, running: true };
  }
}

function modelBanner(): string {
  const { provider, baseURL } = loadModelConfig(workerPaths().modelConfigFile);
  return provider === 'openai'
    ? `models: OpenAI provider${baseURL ? ` at ${baseURL}` : ''} (config/models.yaml)`
    : 'models: offline (deterministic, no API calls; set OPENAI_API_KEY or OPENAI_BASE_URL for real models)';
}

function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CliError(`${flag}: '${value}' is not a port`, BAD_INPUT);
  return port;
}

function assertFree(port: number, flag: string): Promise<void> {
  return new Promise((done, fail) => {
    const probe = createServer()
      .once('error', () => fail(new CliError(`${flag}: port ${port} is in use (is another \`campaign dev\` running?)`)))
      .once('listening', () => probe.close(() => done()))
      .listen(port, '127.0.0.1');
  });
}
