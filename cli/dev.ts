import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Command } from 'commander';
import pg from 'pg';
import { folderFor } from '../activities/folders';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { readBriefFile } from '../client/brief-file';
import { startCampaign } from '../client/start';
import { startCodecServer } from '../codec/codec-server';
import { campaignDataConverter, codecFrom } from '../codec/data-converter';
import { PROJECT_ROOT } from '../config/paths';
import { type Settings, settings } from '../config/settings';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { workflowUrl } from '../domain/workflow-url';
import { addCodecKey } from '../keys/codec-keys';
import { superviseWorker } from '../worker/supervisor';
import { BAD_INPUT, CliError } from './errors';
import { INBOX_QUERY } from './inbox';

interface DevOptions {
  worker: boolean;
  watch: boolean;
  encryption: boolean;
  codecPort: string;
  pgPort: string;
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
    .option('--no-watch', 'keep the worker as it started, instead of starting a new build when the code changes')
    .option('--no-encryption', 'keep payloads in clear text (no payload key, no codec server)')
    .option('--codec-port <port>', 'port of the codec server the UI decodes payloads through', '8234')
    .option('--pg-port <port>', 'port of the local PostgreSQL server (unless CAMPAIGN_DATABASE_URL names one)', '54329')
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
      const base = settings();
      rootLogger.level = base.logLevel ?? 'warn';
      const { startDevServer } = await import('../devserver/dev-server');
      const port = parsePort(opts.port, '--port');
      const uiPort = parsePort(opts.uiPort, '--ui-port');
      const sample = opts.sample ? readBriefFile(opts.sample) : undefined;
      if (sample) {
        // The sample brand requires signed decisions; the demo makes local keys so its approve command works.
        const { dataDir, keyDir } = base.paths;
        const made = provisionRosterKeys(dataDir, keyDir);
        if (made.length > 0) {
          process.stderr.write(
            `made local signing keys (demo only) for ${made.join(', ')} in ${keyDir}; in production each approver ` +
              'makes their own with `npx campaign keys new` and the roster holds the public keys\n',
          );
        }
      }
      const codecPort = parsePort(opts.codecPort, '--codec-port');
      const pgPort = parsePort(opts.pgPort, '--pg-port');
      await assertFree(port, '--port');
      await assertFree(uiPort, '--ui-port');
      if (!base.database.url) await assertFree(pgPort, '--pg-port');
      process.stderr.write(
        'demo mode (CAMPAIGN_DEMO=1): keys made on this machine are trusted, and the keyring beside the roster ' +
          'supplies public keys the roster lacks; in production the roster is the one trust root\n',
      );
      const store = await localStore(base, pgPort);
      const codec = opts.encryption
        ? await localCodec(base, codecPort, uiPort).catch(async (err: unknown) => {
            await store.stop();
            throw err;
          })
        : null;
      process.stderr.write(`starting Temporal dev server on 127.0.0.1:${port} (database ${opts.db}) ...\n`);
      const server = await startDevServer({
        port,
        uiPort,
        dbFilename: resolve(opts.db),
        ...(codec ? { uiCodecEndpoint: codec.server.endpoint } : {}),
      }).catch(async (err: unknown) => {
        await codec?.server.close();
        await store.stop();
        throw err;
      });
      const address = server.address;
      const uiUrl = server.uiUrl ?? base.temporal.uiUrl;
      console.log(
        `Temporal UI: ${server.uiUrl}   (inbox: ${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(INBOX_QUERY)})`,
      );
      const connection = await Connection.connect({ address });
      const client = new Client({
        connection,
        namespace: server.namespace,
        dataConverter: campaignDataConverter(codec?.codec ?? null),
      });
      try {
        if (sample) {
          const { id, running } = await sampleSlot(client, base, store.url, 'sample-green-tariff-launch');
          if (!running) {
            await startCampaign(client, sample, opts.requestedBy, id, base.temporal.taskQueue, {
              keyDir: base.paths.keyDir,
            });
          }
          console.log(
            [
              `${running ? 'sample campaign still running' : 'sample campaign started'}: ${workflowUrl(uiUrl, server.namespace, id)}`,
              'when it reaches the approval inbox (a few seconds):',
              '  npx campaign inbox',
              `  npx campaign approve ${id} --as jonas.weber      (shows the content and asks you to confirm)`,
              `  npx campaign status ${id}`,
              modelBanner(base),
              codec
                ? `payloads: encrypted (${codec.source}); the UI decodes them through the codec server on 127.0.0.1:${codecPort}`
                : 'payloads: in clear text (--no-encryption)',
              'press Ctrl-C to stop server, worker and PostgreSQL',
            ].join('\n'),
          );
        }
        const stopped = new Promise<void>((done) => process.once('SIGINT', done).once('SIGTERM', done));
        if (opts.worker) {
          // A separate process, so a worker that crashes is started again while the server and the UI stay up.
          const deploymentName = base.worker.deployment;
          const worker = superviseWorker({
            env: {
              TEMPORAL_ADDRESS: address,
              TEMPORAL_NAMESPACE: server.namespace,
              TEMPORAL_UI_URL: uiUrl,
              LOG_LEVEL: rootLogger.level,
              CAMPAIGN_DATABASE_URL: store.url,
              // The local stack makes its worker's checkpoint key and trusts it; a production worker never does.
              CAMPAIGN_DEMO: '1',
              // The worker finds the same key file; without encryption it must not, whatever lies in the key folder.
              ...(codec ? {} : { CAMPAIGN_CODEC_KEY_FILE: 'none' }),
            },
            // Every campaign stays on the build it started on; older builds keep a worker while their campaigns run.
            ...(deploymentName
              ? {
                  versions: {
                    client,
                    deploymentName,
                    bundleDir: base.paths.bundleDir,
                    encodeFailures: codec !== null,
                  },
                }
              : {}),
            watch: opts.watch,
          });
          await stopped;
          process.stderr.write('stopping the worker ...\n');
          await worker.stop();
        } else await stopped;
      } finally {
        await connection.close();
        process.stderr.write('stopping Temporal dev server ...\n');
        await server.stop();
        await codec?.server.close();
        if (!base.database.url) process.stderr.write('stopping PostgreSQL ...\n');
        await store.stop();
      }
    });
}

/**
 * The payload codec of this machine's key file (made on first use, demo only) and a codec server for the local UI, on
 * a fresh token that only the UI's configuration carries.
 */
async function localCodec(base: Settings, codecPort: number, uiPort: number) {
  const explicit = base.codec.inlineKeys || base.codec.keyFile;
  const file = base.codec.defaultKeyFile;
  if (!explicit && !existsSync(file)) {
    addCodecKey(file);
    process.stderr.write(`made a local payload encryption key (demo only) in ${file}\n`);
  }
  const codec = codecFrom(base.codec);
  if (!codec)
    throw new CliError('CAMPAIGN_CODEC_KEY_FILE=none turns encryption off: use --no-encryption instead', BAD_INPUT);
  await assertFree(codecPort, '--codec-port');
  const server = await startCodecServer({
    codec,
    auth: { token: randomBytes(24).toString('hex') },
    port: codecPort,
    allowedOrigins: [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`],
  });
  return { codec, server, source: explicit ? 'CAMPAIGN_CODEC_*' : file };
}

/**
 * Where the sample campaign lives: the running one if there is one, else the first id in `base`, `base-2`, ... that
 * has never been used, here or in the outbox (a finished campaign's id is never run again).
 */
async function sampleSlot(
  client: Client,
  base: Settings,
  storeUrl: string,
  prefix: string,
): Promise<{ id: string; running: boolean }> {
  const pool = new pg.Pool({ connectionString: storeUrl, max: 1 });
  try {
    return await freeSlot(client, base, prefix, async (id) => {
      const bound = await pool.query('SELECT 1 FROM governance.run_bindings WHERE campaign_id = $1', [id]);
      return (bound.rowCount ?? 0) > 0;
    });
  } finally {
    await pool.end();
  }
}

async function freeSlot(
  client: Client,
  base: Settings,
  prefix: string,
  inStore: (id: string) => Promise<boolean>,
): Promise<{ id: string; running: boolean }> {
  for (let n = 1; ; n++) {
    const id = n === 1 ? prefix : `${prefix}-${n}`;
    const status = await client.workflow
      .getHandle(id)
      .describe()
      .then(
        (d) => d.status.name,
        () => null,
      );
    // An id whose package is in the outbox (from an earlier database) would be refused at publishing.
    // An id the governance store knows (from an earlier Temporal database) would be refused as another run's.
    const published = existsSync(join(base.paths.outboxDir, folderFor(id))) || (await inStore(id));
    if (status === null && !published) return { id, running: false };
    if (status === 'RUNNING') return { id, running: true };
  }
}

/** The governance store: `CAMPAIGN_DATABASE_URL` when set, else a local PostgreSQL server under `.data/`. */
async function localStore(base: Settings, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  if (base.database.url) return { url: base.database.url, stop: async () => undefined };
  const { startLocalStore } = await import('../devserver/local-store');
  process.stderr.write(`starting PostgreSQL on 127.0.0.1:${port} (data ${base.database.localDir}) ...\n`);
  return startLocalStore({ dataDir: base.database.localDir, port, urlFile: base.database.localUrlFile });
}

function modelBanner(base: Settings): string {
  const { provider, baseURL } = loadModelConfig(base.paths.modelConfigFile, base.models);
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
