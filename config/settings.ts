import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { z } from 'zod';
import { describeProblem } from '../domain/problems';
import { TASK_QUEUE } from '../domain/task-queue';
import { PROJECT_ROOT, type WorkerPaths } from './paths';

// Every setting the project reads from the environment, parsed once (by the CLI's entry point, the worker's main, a
// script) and handed out in slices. docs/configuration.md has one table row per group of these names, and a test holds
// the two together, so a new setting is a line here and a row there.

/** A blank value counts as unset, as shells and `.env` files write it. */
const unset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());

const path = z.string();
const name = z.string().regex(/^[\w.-]{1,200}$/, 'must be a name of letters, digits, . _ -');
const number = (message: string) => z.coerce.number({ error: message }).refine(Number.isFinite, message);
const wholeAbove0 = number('must be a whole number above 0').pipe(
  z.number().int('must be a whole number above 0').min(1, 'must be a whole number above 0'),
);
const above0 = number('must be a number above 0').pipe(z.number().positive('must be a number above 0'));
const days = number('must be a number of days').pipe(z.number().min(0, 'must be a number of days'));
const url = z.url('must be a URL');

/** The variables this project reads itself; `TEMPORAL_*` connection settings are read by `@temporalio/envconfig`. */
export const settingsSchema = z.object({
  TEMPORAL_UI_URL: optional(url),
  CAMPAIGN_TASK_QUEUE: optional(name),
  CAMPAIGN_DEPLOYMENT: optional(name),
  CAMPAIGN_USER: optional(z.string()),
  CAMPAIGN_DATA_DIR: optional(path),
  CAMPAIGN_POLICY_DIR: optional(path),
  CAMPAIGN_OUTBOX_DIR: optional(path),
  CAMPAIGN_KEY_DIR: optional(path),
  CAMPAIGN_MODEL_CONFIG: optional(path),
  CAMPAIGN_PROMPT_DIR: optional(path),
  CAMPAIGN_BUNDLE_DIR: optional(path),
  CAMPAIGN_NOTIFY_FILE: optional(path),
  CAMPAIGN_NOTIFY_WEBHOOK: optional(url),
  CAMPAIGN_NOTIFY_WEBHOOK_TOKEN: optional(z.string()),
  CAMPAIGN_MAX_CACHED_WORKFLOWS: optional(wholeAbove0),
  CAMPAIGN_MODEL_CONCURRENCY: optional(wholeAbove0),
  CAMPAIGN_MODEL_RATE: optional(above0),
  CAMPAIGN_CODEC_KEYS: optional(z.string()),
  CAMPAIGN_CODEC_KEY_FILE: optional(path),
  CAMPAIGN_CODEC_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  CAMPAIGN_INBOX_SECRET: optional(
    z.string().regex(/^[0-9a-f]{32,}$/, 'must be at least 32 hex digits (`openssl rand -hex 32`)'),
  ),
  CAMPAIGN_CACHE_RETENTION_DAYS: optional(days),
  CAMPAIGN_OUTBOX_RETENTION_DAYS: optional(days),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  OPENAI_API_KEY: optional(z.string()),
  OPENAI_BASE_URL: optional(url),
  OPENAI_API_MODE: optional(z.enum(['responses', 'chat'])),
  OPENAI_MODEL: optional(z.string()),
  CAMPAIGN_DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  CAMPAIGN_DATABASE_OWNER_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  CAMPAIGN_LOCAL_DATABASE_DIR: optional(path),
  CAMPAIGN_WORKER_KEY_FILE: optional(path),
  CAMPAIGN_WORKER_KEYS_FILE: optional(path),
  CAMPAIGN_DEMO: optional(z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' })),
  CAMPAIGN_OIDC_ISSUER: optional(url),
  CAMPAIGN_OIDC_CLIENT_ID: optional(z.string().min(1).max(200)),
  CAMPAIGN_OIDC_CLI_CLIENT_ID: optional(z.string().min(1).max(200)),
  CAMPAIGN_LOGIN_KEY_FILE: optional(path),
  CAMPAIGN_LOGIN_KEYS_FILE: optional(path),
  CAMPAIGN_LOGIN_SESSION_FILE: optional(path),
  CAMPAIGN_CODEC_URL: optional(url),
  CAMPAIGN_TSA_URL: optional(url),
  CAMPAIGN_TSA_ROOTS: optional(path),
  CAMPAIGN_CODEC_CA_FILE: optional(path),
  TEMPORAL_CLI_PATH: optional(path),
  TEMPORAL_TEST_SERVER_PATH: optional(path),
  TEMPORAL_UI_SERVER_PATH: optional(path),
  COSIGN_PATH: optional(path),
  CHROMIUM_PATH: optional(path),
});

/** The connection settings `@temporalio/envconfig` reads (with a TOML profile); named here for the docs' table. */
export const ENVCONFIG_SETTINGS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_*',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
] as const;

/** Settings earlier versions read, and what took their place. */
const RETIRED: Record<string, string> = {
  CAMPAIGN_AUDIT_DIR:
    'the audit trail is in the governance store now (CAMPAIGN_DATABASE_URL); move old trails in with `npx campaign audit import DIR`',
  CAMPAIGN_CACHE_DIR: 'paid model answers are cached in the governance store now',
};

/** Every setting's name, for the documentation check. */
export const SETTING_NAMES: readonly string[] = [...ENVCONFIG_SETTINGS, ...Object.keys(settingsSchema.shape)];

/** Where Temporal is and how to reach it, and what campaigns run on there. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
  /** The task queue campaigns run on; role queues are named after it. */
  taskQueue: string;
  /** Base of the UI links the CLI prints and reminders carry. */
  uiUrl: string;
}

/** What a worker process is: its cache, the limits of its models role, and the deployment its builds belong to. */
export interface WorkerSettings {
  maxCachedWorkflows: number;
  models: { concurrency: number; perSecond?: number };
  /** The worker deployment whose versions the workers are, or null to run unversioned (`CAMPAIGN_DEPLOYMENT=none`). */
  deployment: string | null;
}

/** How the model gateway reaches a model: the OpenAI provider when a key or a base URL is set, else the offline model. */
export interface ModelSettings {
  apiKey?: string;
  baseURL?: string;
  apiMode?: 'responses' | 'chat';
  model?: string;
}

/** Where the payload keys come from: inline, a file, or the key folder's default file; `keyFile: 'none'` is off. */
export interface CodecSettings {
  inlineKeys?: string;
  keyFile?: string;
  /** The key file `npm start` makes and everyone looks for when nothing else is set. */
  defaultKeyFile: string;
  /** The codec server's fixed token, if one is set. */
  token?: string;
}

/** Where the governance store is, and the keys that vouch for what workers write there. */
export interface DatabaseSettings {
  /** The worker role's URL; unset: the local stack's, read from {@link DatabaseSettings.localUrlFile}. */
  url?: string;
  /** The owner role's URL, for migrations only (operators). */
  ownerUrl?: string;
  /** Where `campaign dev` keeps its PostgreSQL server's data, and the file beside it with its worker URL. */
  localDir: string;
  localUrlFile: string;
  /** This worker's checkpoint signing key, and the deployment's trust list of worker keys. */
  workerKeyFile: string;
  workerKeysFile: string;
}

/**
 * People's logins: the company's OpenID provider (issuer, and the client id its ID tokens are for), the login
 * service's own stamping key, and the trust list of login service keys that stamps are checked against.
 */
export interface LoginSettings {
  issuer?: string;
  clientId?: string;
  /** The CLI's public client at the provider (`campaign login`, PKCE); the codec server accepts its ID tokens too. */
  cliClientId: string;
  keyFile: string;
  keysFile: string;
  /** Where `campaign login` keeps this person's ID token (mode 600), and the codec server the CLI then goes through. */
  sessionFile: string;
  codecUrl?: string;
  /** A certificate to trust for `codecUrl` besides the system's (the local stack's own). */
  codecCaFile?: string;
  /** What `campaign dev` writes about its local login, for the CLI on the same machine. */
  localFile: string;
  /** The demo stack's local provider (from `localFile`), which auditors and the CLI here check logins against. */
  localIssuer?: string;
}

/** Every setting, parsed once and handed out in slices. */
export interface Settings {
  login: LoginSettings;
  database: DatabaseSettings;
  /**
   * The demo stack (`npm start`): local keys are made and trusted on first use, and the keyring beside the roster
   * supplies approvers' public keys. Never in production.
   */
  demo: boolean;
  temporal: TemporalSettings;
  paths: WorkerPaths & { bundleDir: string };
  worker: WorkerSettings;
  models: ModelSettings;
  codec: CodecSettings;
  /** The deployment's inbox secret, when given in the environment (else the key folder's). */
  inboxSecret?: string;
  notify: { file: string; webhook?: string; webhookToken?: string };
  /** The RFC 3161 timestamp authority publishers ask, and the file of its root certificates (PEM) verifiers trust. */
  timestamps: { url?: string; rootsFile?: string };
  retention: { cacheDays: number; outboxDays: number };
  logLevel?: string;
  /** The CLI's default requester. */
  user?: string;
  /** Binaries to use instead of those on PATH or in the cache. */
  tools: {
    temporalCli?: string;
    temporalTestServer?: string;
    temporalUiServer?: string;
    cosign?: string;
    chromium?: string;
  };
  /** `CAMPAIGN_*` variables that are not settings (a typo, or one retired), each with what to do; ignored otherwise. */
  warnings: string[];
}

/** A setting that does not parse: one line naming the variable and the problem. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Workflows a worker keeps in memory by default: enough for a busy inbox, and a bound on the worker's memory. */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 100;

const here = (...parts: string[]) => resolve(PROJECT_ROOT, ...parts);

/** The settings in `env`; throws {@link SettingsError} naming the first variable that does not parse. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new SettingsError(describeProblem(parsed.error, '').replace(/^\./, ''));
  const s = parsed.data;
  const at = (given: string | undefined, ...fallback: string[]) => resolve(given ?? here(...fallback));
  const keyDir = at(s.CAMPAIGN_KEY_DIR, '.data', 'keys');
  const paths = {
    dataDir: at(s.CAMPAIGN_DATA_DIR, 'examples'),
    outboxDir: at(s.CAMPAIGN_OUTBOX_DIR, 'outbox'),
    policyDir: at(s.CAMPAIGN_POLICY_DIR, 'policies'),
    promptDir: at(s.CAMPAIGN_PROMPT_DIR, 'prompts'),
    modelConfigFile: at(s.CAMPAIGN_MODEL_CONFIG, 'config', 'models.yaml'),
    keyDir,
    notifyFile: at(s.CAMPAIGN_NOTIFY_FILE, '.data', 'notifications.jsonl'),
    bundleDir: at(s.CAMPAIGN_BUNDLE_DIR, '.data', 'workflow-bundles'),
  };
  const taskQueue = s.CAMPAIGN_TASK_QUEUE ?? TASK_QUEUE;
  const localDir = at(s.CAMPAIGN_LOCAL_DATABASE_DIR, '.data', 'postgres');
  const demo =
    s.CAMPAIGN_DEMO !== undefined
      ? s.CAMPAIGN_DEMO === '1' || s.CAMPAIGN_DEMO === 'true'
      : !s.CAMPAIGN_DATABASE_URL && existsSync(`${localDir}.url`);
  const localLogin = resolve(keyDir, 'login', 'local-login.json');
  return {
    database: {
      url: s.CAMPAIGN_DATABASE_URL,
      ownerUrl: s.CAMPAIGN_DATABASE_OWNER_URL,
      localDir,
      localUrlFile: `${localDir}.url`,
      workerKeyFile: resolve(s.CAMPAIGN_WORKER_KEY_FILE ?? resolve(keyDir, 'worker', 'worker.key')),
      workerKeysFile: resolve(s.CAMPAIGN_WORKER_KEYS_FILE ?? resolve(keyDir, 'worker-keys.yaml')),
    },
    // The local stack is the demo: without a database of its own, whoever uses the local stack's database (its URL
    // file, which only `campaign dev` writes) is on the demo. CAMPAIGN_DEMO says so either way.
    demo,
    temporal: { ...temporalConnection(env), taskQueue, uiUrl: s.TEMPORAL_UI_URL ?? 'http://localhost:8233' },
    paths,
    worker: {
      maxCachedWorkflows: s.CAMPAIGN_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS,
      models: {
        concurrency: s.CAMPAIGN_MODEL_CONCURRENCY ?? 8,
        ...(s.CAMPAIGN_MODEL_RATE ? { perSecond: s.CAMPAIGN_MODEL_RATE } : {}),
      },
      // Versioned by default, as a deployment named after the task queue: campaigns stay on the build they start on.
      deployment: s.CAMPAIGN_DEPLOYMENT === 'none' ? null : (s.CAMPAIGN_DEPLOYMENT ?? taskQueue),
    },
    models: {
      apiKey: s.OPENAI_API_KEY,
      baseURL: s.OPENAI_BASE_URL,
      apiMode: s.OPENAI_API_MODE,
      model: s.OPENAI_MODEL,
    },
    login: {
      issuer: s.CAMPAIGN_OIDC_ISSUER,
      // On the demo stack, the local provider `campaign dev` runs, so its CLI and auditors on this machine know it.
      ...(demo && !s.CAMPAIGN_OIDC_ISSUER ? withIssuer(localIssuer(localLogin)) : {}),
      clientId: s.CAMPAIGN_OIDC_CLIENT_ID,
      cliClientId: s.CAMPAIGN_OIDC_CLI_CLIENT_ID ?? 'campaign-cli',
      keyFile: resolve(s.CAMPAIGN_LOGIN_KEY_FILE ?? resolve(keyDir, 'login', 'login.key')),
      keysFile: resolve(s.CAMPAIGN_LOGIN_KEYS_FILE ?? resolve(keyDir, 'login-keys.yaml')),
      sessionFile: resolve(s.CAMPAIGN_LOGIN_SESSION_FILE ?? resolve(keyDir, 'login', 'session.json')),
      codecUrl: s.CAMPAIGN_CODEC_URL,
      ...(s.CAMPAIGN_CODEC_CA_FILE ? { codecCaFile: resolve(s.CAMPAIGN_CODEC_CA_FILE) } : {}),
      localFile: localLogin,
    },
    codec: {
      inlineKeys: s.CAMPAIGN_CODEC_KEYS,
      keyFile: s.CAMPAIGN_CODEC_KEY_FILE,
      defaultKeyFile: resolve(keyDir, 'codec-keys.yaml'),
      token: s.CAMPAIGN_CODEC_TOKEN,
    },
    inboxSecret: s.CAMPAIGN_INBOX_SECRET,
    notify: {
      file: paths.notifyFile,
      webhook: s.CAMPAIGN_NOTIFY_WEBHOOK,
      webhookToken: s.CAMPAIGN_NOTIFY_WEBHOOK_TOKEN,
    },
    timestamps: {
      url: s.CAMPAIGN_TSA_URL,
      ...(s.CAMPAIGN_TSA_ROOTS ? { rootsFile: resolve(s.CAMPAIGN_TSA_ROOTS) } : {}),
    },
    retention: {
      cacheDays: s.CAMPAIGN_CACHE_RETENTION_DAYS ?? 30,
      outboxDays: s.CAMPAIGN_OUTBOX_RETENTION_DAYS ?? 365,
    },
    logLevel: s.LOG_LEVEL,
    user: s.CAMPAIGN_USER,
    tools: {
      temporalCli: s.TEMPORAL_CLI_PATH,
      temporalTestServer: s.TEMPORAL_TEST_SERVER_PATH,
      temporalUiServer: s.TEMPORAL_UI_SERVER_PATH,
      cosign: s.COSIGN_PATH,
      chromium: s.CHROMIUM_PATH,
    },
    warnings: Object.keys(env)
      .filter(
        (name) => name.startsWith('CAMPAIGN_') && !(name in settingsSchema.shape) && unset(env[name]) !== undefined,
      )
      .sort()
      .map(
        (name) =>
          `${name} is not a setting and is ignored${RETIRED[name] ? `: ${RETIRED[name]}` : ' (see docs/configuration.md)'}`,
      ),
  };
}

/** The address, namespace and connection options from `TEMPORAL_*` or a profile, else localhost:7233 and `default`. */
function temporalConnection(
  env: NodeJS.ProcessEnv,
): Pick<TemporalSettings, 'address' | 'namespace' | 'connectionOptions'> {
  let config: ReturnType<typeof loadClientConnectConfig>;
  try {
    config = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  } catch (err) {
    throw new SettingsError(`Temporal connection settings: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const address = config.connectionOptions.address ?? 'localhost:7233';
  return {
    address,
    namespace: config.namespace ?? 'default',
    connectionOptions: { ...config.connectionOptions, address },
  };
}

let current: Settings | undefined;

/** This process's settings, parsed from its environment on first use (never at import), then kept. */
export function settings(): Settings {
  if (!current) {
    current = loadSettings(process.env);
    for (const warning of current.warnings) process.stderr.write(`settings: ${warning}\n`);
  }
  return current;
}

/** The issuer `campaign dev` wrote about its local provider, if it did. */
function localIssuer(file: string): string | undefined {
  try {
    const { issuer } = JSON.parse(readFileSync(file, 'utf8')) as { issuer?: unknown };
    return typeof issuer === 'string' ? issuer : undefined;
  } catch {
    return undefined;
  }
}

function withIssuer(issuer: string | undefined): { localIssuer?: string } {
  return issuer ? { localIssuer: issuer } : {};
}
