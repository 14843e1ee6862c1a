import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities';
import { readBriefFile } from '../../client/brief-file';
import {
  type DecisionDraft,
  decisionBinding,
  decisionEnvelope,
  sealDecision,
  whileTaskRetries,
} from '../../client/decide';
import { startCampaign } from '../../client/start';
import { waitForApproval } from '../../client/wait-for-approval';
import { campaignDataConverter } from '../../codec/data-converter';
import { PROJECT_ROOT } from '../../config/paths';
import { type DatabaseSettings, loadSettings } from '../../config/settings';
import { provisionRosterKeys } from '../../devserver/demo-keys';
import type { Brief } from '../../domain/brief';
import type { Decision, DecisionReceipt } from '../../domain/decision';
import type { WorkerRole } from '../../domain/task-queue';
import type { GovernanceStore } from '../../store/governance-store';
import { openWorkerStore } from '../../store/open-store';
import {
  type CampaignWorkers,
  createCampaignWorker,
  type DeploymentVersion,
  productionDeps,
} from '../../worker/create-worker';
import { workflowBundle } from '../../worker/workflow-bundle';
import type { campaignWorkflow } from '../../workflows';
import { decideUpdate } from '../../workflows/messages';
import { quietLogger } from './quiet-logger';
import { freshDatabase } from './test-database';

/** Which roles a test's workers take on, and as which build. */
interface WorkerChoice {
  roles?: WorkerRole[];
  deployment?: DeploymentVersion;
  identity?: string;
}

/** The good example brief. */
export const GOOD_BRIEF: Brief = readBriefFile(resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml'));

/** A client and workers on the shared dev server, each test file on its own task queue and outbox. */
export class CampaignEnv {
  readonly taskQueue = `test-${Math.random().toString(36).slice(2, 10)}`;
  readonly outboxDir = mkdtempSync(join(tmpdir(), 'campaign-outbox-'));
  /** Where the workers here append reminders. */
  readonly notifyFile = join(mkdtempSync(join(tmpdir(), 'campaign-notify-')), 'notifications.jsonl');
  private readonly workers: { worker: CampaignWorkers; running: Promise<void>; connection: NativeConnection }[] = [];

  private constructor(
    readonly client: Client,
    private readonly address: string,
    private readonly codec: PayloadCodec | null,
    private readonly bundlePath: string,
    /** This env's own governance database (the worker role's URL), and the store on it the workers here share. */
    readonly databaseUrl: string,
    readonly store: GovernanceStore,
    /** Signing keys for everyone in the example roster who decides, and the workers' checkpoint key and trust list. */
    readonly keyDir: string,
  ) {
    provisionRosterKeys(resolve(PROJECT_ROOT, 'examples'), this.keyDir);
  }

  /**
   * On the shared dev server unless `address` names another; payloads encrypted with `codec` when given, then with the
   * workflow bundle that encodes failures (built here on first use).
   */
  static async create(options: { address?: string; codec?: PayloadCodec } = {}): Promise<CampaignEnv> {
    const address = options.address ?? inject('temporalAddress');
    const codec = options.codec ?? null;
    const bundlePath = codec
      ? (
          await workflowBundle({
            cacheDir: loadSettings({}).paths.bundleDir,
            encodeFailures: true,
            logger: quietLogger,
          })
        ).codePath
      : inject('workflowBundlePath');
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, dataConverter: campaignDataConverter(codec) });
    const databaseUrl = await freshDatabase();
    const keyDir = mkdtempSync(join(tmpdir(), 'campaign-keys-'));
    const store = await openWorkerStore({ database: CampaignEnv.databaseSettings(databaseUrl, keyDir), demo: true });
    return new CampaignEnv(client, address, codec, bundlePath, databaseUrl, store, keyDir);
  }

  /** The production collaborators, writing to this env's outbox and cache; `modelEnv` selects the model provider. */
  deps(overrides: { policyDir?: string; dataDir?: string; modelEnv?: Record<string, string> } = {}): ActivityDeps {
    // The demo's trust root, as `npm start` has it: the approvers' public keys from the key folder's keyring.
    const base = loadSettings({ CAMPAIGN_DEMO: '1', CAMPAIGN_KEY_DIR: this.keyDir, ...overrides.modelEnv });
    return productionDeps(
      {
        ...base,
        paths: {
          ...base.paths,
          outboxDir: this.outboxDir,
          keyDir: this.keyDir,
          notifyFile: this.notifyFile,
          policyDir: overrides.policyDir ?? base.paths.policyDir,
          dataDir: overrides.dataDir ?? base.paths.dataDir,
        },
        notify: { file: this.notifyFile },
        database: CampaignEnv.databaseSettings(this.databaseUrl, this.keyDir),
      },
      this.store,
    );
  }

  /** Starts workers (all roles unless told) on this env's task queue; they run until {@link stopWorker} or {@link close}. */
  startWorker(deps: ActivityDeps = this.deps(), options: WorkerChoice = {}): Promise<CampaignWorkers> {
    return this.startWorkerOn(this.taskQueue, deps, options);
  }

  /** Starts workers on `taskQueue`, for tests that drive the CLI on the production queue. */
  async startWorkerOn(
    taskQueue: string,
    deps: ActivityDeps = this.deps(),
    options: WorkerChoice = {},
  ): Promise<CampaignWorkers> {
    const connection = await NativeConnection.connect({ address: this.address });
    const worker = await createCampaignWorker({
      connection,
      namespace: 'default',
      deps,
      codec: this.codec,
      taskQueue,
      workflows: { workflowBundle: { codePath: this.bundlePath } },
      ...options,
    });
    this.workers.push({ worker, running: worker.run(), connection });
    return worker;
  }

  /** Shuts a worker down and waits until it has stopped. */
  async stopWorker(worker: CampaignWorkers): Promise<void> {
    const entry = this.workers.find((w) => w.worker === worker);
    if (!entry) return;
    worker.shutdown();
    await entry.running;
    await entry.connection.close();
    this.workers.splice(this.workers.indexOf(entry), 1);
  }

  /** Starts a campaign with a unique id. */
  async start(brief: Brief = GOOD_BRIEF, requestedBy = 'lena.vogel'): Promise<WorkflowHandle<typeof campaignWorkflow>> {
    const id = `campaign-${Math.random().toString(36).slice(2, 12)}`;
    await startCampaign(this.client, brief, requestedBy, id, this.taskQueue, { keyDir: this.keyDir });
    return this.client.workflow.getHandle<typeof campaignWorkflow>(id);
  }

  /** Waits until the campaign shows round `round` at the approval gate; returns the pending content hash. */
  async awaitApproval(handle: WorkflowHandle, round = 1): Promise<string> {
    return (await waitForApproval(handle, { round })).contentHash;
  }

  /**
   * The decision dated now and signed with the approver's key for the campaign's run and plan, as `npx campaign
   * approve` would send it.
   */
  async signed(handle: WorkflowHandle | string, draft: DecisionDraft): Promise<Decision> {
    const id = typeof handle === 'string' ? handle : handle.workflowId;
    const binding = await decisionBinding(this.client, id);
    const envelope = await decisionEnvelope(this.client, id);
    return sealDecision(id, { ...draft, ...binding }, { keyDir: this.keyDir, signaturesRequired: true, envelope });
  }

  /** Sends the signed decision through the `decide` Update. */
  async decide(handle: WorkflowHandle, draft: DecisionDraft): Promise<DecisionReceipt> {
    const decision = await this.signed(handle, draft);
    return whileTaskRetries(() => handle.executeUpdate(decideUpdate, { args: [decision] }), Date.now() + 30_000);
  }

  async close(): Promise<void> {
    for (const { worker } of [...this.workers]) await this.stopWorker(worker);
    await this.client.connection.close();
    await this.store.close();
  }

  /** The settings of this env's store: its database, and the checkpoint key and trust list in its key folder. */
  static databaseSettings(url: string, keyDir: string): DatabaseSettings {
    const base = loadSettings({}).database;
    return {
      ...base,
      url,
      workerKeyFile: join(keyDir, 'worker', 'worker.key'),
      workerKeysFile: join(keyDir, 'worker-keys.yaml'),
    };
  }

  /** The environment a CLI run or a worker process needs to see this env's data: its store, keys and outbox. */
  cliEnv(): Record<string, string> {
    return {
      // This env's workers run as the demo does: the approvers' keys are in the keyring beside the roster.
      CAMPAIGN_DEMO: '1',
      CAMPAIGN_DATABASE_URL: this.databaseUrl,
      CAMPAIGN_KEY_DIR: this.keyDir,
      CAMPAIGN_OUTBOX_DIR: this.outboxDir,
    };
  }

  /** A copy of the policy folder without the files named, for deny-by-default tests. */
  static policiesWithout(...files: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'campaign-policies-'));
    cpSync(resolve(PROJECT_ROOT, 'policies'), dir, {
      recursive: true,
      filter: (src) => !files.some((f) => src.endsWith(f)),
    });
    return dir;
  }
}
