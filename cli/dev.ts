import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Command } from 'commander';
import pg from 'pg';
import { createFileDataStore } from '../activities/data-store';
import { folderFor } from '../activities/folders';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { readBriefFile } from '../client/brief-file';
import { startCampaign } from '../client/start';
import { startCodecServer } from '../codec/codec-server';
import { campaignDataConverter, codecFrom } from '../codec/data-converter';
import { PROJECT_ROOT } from '../config/paths';
import { type Settings, settings } from '../config/settings';
import { provisionRosterKeys } from '../devserver/demo-keys';
import type { LoginStack } from '../devserver/login-stack';
import { workflowUrl } from '../domain/workflow-url';
import { addCodecKey } from '../keys/codec-keys';
import { superviseWorker } from '../worker/supervisor';
import { BAD_INPUT, CliError } from './errors';
import { INBOX_QUERY } from './inbox';

interface DevOptions {
  worker: boolean;
  watch: boolean;
  encryption: boolean;
  login: boolean;
  codecPort: string;
  loginPort: string;
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
    .description(
      'run the Temporal dev server, the UI with a local login (on :8233), PostgreSQL and a worker, restarted if it dies, until Ctrl-C',
    )
    .option('--no-worker', 'start only the server')
    .option('--no-watch', 'keep the worker as it started, instead of starting a new build when the code changes')
    .option('--no-encryption', 'keep payloads in clear text (no payload key, no codec server)')
    .option('--no-login', "the dev server's own UI without a login: approvers decide with signed decisions only")
    .option('--codec-port <port>', 'port of the codec server the UI decodes payloads through', '8234')
    .option('--login-port <port>', 'port of the local OpenID provider people sign in at', '8236')
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
      const loginPort = opts.login ? parsePort(opts.loginPort, '--login-port') : null;
      if (loginPort !== null) await assertFree(loginPort, '--login-port');
      const store = await localStore(base, pgPort);
      const stack = new Shutdown();
      stack.push(store.stop, !base.database.url ? 'PostgreSQL' : null);
      let codec: Awaited<ReturnType<typeof localCodec>> | null = null;
      let server: Awaited<ReturnType<typeof startDevServer>>;
      let login: LoginStack | null = null;
      try {
        codec = opts.encryption ? localCodec(base) : null;
        if (codec) await assertFree(codecPort, '--codec-port');
        // Without logins the dev server's own UI decodes through a codec server on a token only its config carries.
        const tokenCodec =
          codec && loginPort === null
            ? await startCodecServer({
                codec: codec.codec,
                auth: { token: randomBytes(24).toString('hex') },
                port: codecPort,
                allowedOrigins: [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`],
              })
            : null;
        if (tokenCodec) stack.push(tokenCodec.close, null);
        process.stderr.write(`starting Temporal dev server on 127.0.0.1:${port} (database ${opts.db}) ...\n`);
        server = await startDevServer({
          port,
          uiPort,
          dbFilename: resolve(opts.db),
          // With logins the UI is the UI server's, in front of the same Temporal.
          headless: loginPort !== null,
          ...(tokenCodec ? { uiCodecEndpoint: tokenCodec.endpoint } : {}),
        });
        stack.push(server.stop, 'Temporal dev server');
        if (loginPort !== null) {
          process.stderr.write(
            `starting the local login (OpenID provider on localhost:${loginPort}) and the UI server on localhost:${uiPort} ...\n`,
          );
          const { startLoginStack } = await import('../devserver/login-stack');
          login = await startLoginStack({
            temporalAddress: server.address,
            namespace: server.namespace,
            // Without encryption the codec server only stamps what people type.
            codec: codec?.codec ?? PASS_THROUGH,
            people: () => createFileDataStore(base.paths.dataDir).roster().people,
            login: base.login,
            dir: join(base.paths.keyDir, 'login'),
            ports: { ui: uiPort, provider: loginPort, codec: codecPort },
            demo: true,
          });
          stack.push(login.stop, 'UI server and login');
        }
      } catch (err) {
        await stack.stop();
        throw err;
      }
      const address = server.address;
      const uiUrl = login?.uiUrl ?? server.uiUrl ?? base.temporal.uiUrl;
      console.log(
        `Temporal UI: ${uiUrl}   (inbox: ${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(INBOX_QUERY)})`,
      );
      if (login) console.log(loginBanner(login));
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
              ...(login
                ? [
                    `  in the browser: sign in as jonas.weber, open the campaign, User Metadata: Current Details end with the Data to send`,
                    '  or in a terminal:',
                  ]
                : []),
              '  npx campaign inbox',
              `  npx campaign approve ${id} --as jonas.weber      (shows the content and asks you to confirm)`,
              `  npx campaign status ${id}`,
              modelBanner(base),
              codec
                ? `payloads: encrypted (${codec.source}); the UI decodes them through the codec server on localhost:${codecPort}`
                : 'payloads: in clear text (--no-encryption)',
              'press Ctrl-C to stop everything',
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
              // Decisions made through the UI carry the login service's stamp for a login at this provider.
              ...(login ? { CAMPAIGN_OIDC_ISSUER: login.issuer } : {}),
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
        await stack.stop();
      }
    });
}

/** The payload codec of this machine's key file (made on first use, demo only), or of the `CAMPAIGN_CODEC_*` settings. */
function localCodec(base: Settings): { codec: PayloadCodec; source: string } {
  const explicit = base.codec.inlineKeys || base.codec.keyFile;
  const file = base.codec.defaultKeyFile;
  if (!explicit && !existsSync(file)) {
    addCodecKey(file);
    process.stderr.write(`made a local payload encryption key (demo only) in ${file}\n`);
  }
  const codec = codecFrom(base.codec);
  if (!codec)
    throw new CliError('CAMPAIGN_CODEC_KEY_FILE=none turns encryption off: use --no-encryption instead', BAD_INPUT);
  return { codec, source: explicit ? 'CAMPAIGN_CODEC_*' : file };
}

/** A codec that leaves payloads as they are: the login's stamp without encryption. */
const PASS_THROUGH: PayloadCodec = { encode: async (p) => p, decode: async (p) => p };

/** What a person needs to sign in to the local UI. */
function loginBanner(login: LoginStack): string {
  const [first] = Object.keys(login.passwords);
  return [
    `sign in: any roster person, with the demo password in ${login.passwordFile} (e.g. ${first ?? 'jonas.weber'})`,
    `  first time in this browser: open ${login.codecUrl} once and accept its certificate (a local one, ${login.certFile});`,
    '  the UI decodes and stamps what you type through it, and says "Codec Server could not connect" until the browser trusts it',
  ].join('\n');
}

/** What `campaign dev` started, stopped in reverse order, each part once. */
class Shutdown {
  readonly #parts: { stop(): Promise<void>; name: string | null }[] = [];
  push(stop: () => Promise<void>, name: string | null): void {
    this.#parts.push({ stop, name });
  }
  async stop(): Promise<void> {
    for (const part of this.#parts.splice(0).reverse()) {
      if (part.name) process.stderr.write(`stopping ${part.name} ...\n`);
      await part.stop().catch((err: unknown) => {
        process.stderr.write(`could not stop ${part.name ?? 'a part'}: ${err instanceof Error ? err.message : err}\n`);
      });
    }
  }
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
