import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decisionBinding, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { PROJECT_ROOT } from '../config/paths';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { decideUpdate } from '../workflows/messages';
import { GOOD_BRIEF } from './support/campaign-env';
import { productionDataDir } from './support/production-data';
import { runCli } from './support/run-cli';
import { freshDatabase } from './support/test-database';

// Operations' advice, tried as an operator would: two worker machines that share only Temporal and the governance
// database. Machine A runs workflows, publishing and reminders; machine B the models. Each has its own folders, its
// own checkpoint key; both have the deployment's trust list, inbox secret and the roster with the approvers' public
// keys. No demo mode.

const taskQueue = `machines-${Math.random().toString(36).slice(2, 10)}`;
const databaseUrl = await freshDatabase();
const shared = mkdtempSync(join(tmpdir(), 'machines-shared-'));
const trustList = join(shared, 'worker-keys.yaml');
const inboxSecret = 'ab'.repeat(32);
// The approvers' keys: their private keys for signing here, their public keys in each machine's keyring.
const approverKeys = mkdtempSync(join(tmpdir(), 'machines-approvers-'));
provisionRosterKeys(resolve(PROJECT_ROOT, 'examples'), approverKeys);
// No demo: the approvers' public keys are in the roster the machines read, and nowhere else.
const dataDir = productionDataDir(approverKeys);

interface Machine {
  name: string;
  env: Record<string, string>;
  process?: ChildProcess;
  log: string;
}

function machine(name: string): Machine {
  const root = mkdtempSync(join(tmpdir(), `machine-${name}-`));
  const keyDir = join(root, 'keys');
  mkdirSync(keyDir);
  return {
    name,
    log: '',
    env: {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: 'default',
      CAMPAIGN_TASK_QUEUE: taskQueue,
      CAMPAIGN_DATABASE_URL: databaseUrl,
      CAMPAIGN_KEY_DIR: keyDir,
      CAMPAIGN_DATA_DIR: dataDir,
      CAMPAIGN_WORKER_KEYS_FILE: trustList,
      CAMPAIGN_INBOX_SECRET: inboxSecret,
      CAMPAIGN_OUTBOX_DIR: join(root, 'outbox'),
      CAMPAIGN_NOTIFY_FILE: join(root, 'notifications.jsonl'),
      LOG_LEVEL: 'info',
    },
  };
}

const a = machine('a');
const b = machine('b');
let client: Client;

function startWorker(m: Machine, roles: string): Promise<void> {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/campaign.js'), 'worker', '--roles', roles], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CAMPAIGN_CODEC_KEY_FILE: 'none', ...m.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  m.process = child;
  const collect = (chunk: Buffer) => {
    m.log += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((ready, fail) => {
    const timer = setInterval(() => {
      if (m.log.includes('"msg":"worker started"')) {
        clearInterval(timer);
        ready();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      fail(new Error(`machine ${m.name}'s worker exited (${code}):\n${m.log}`));
    });
  });
}

beforeAll(async () => {
  // Each machine makes its own checkpoint key; the operator puts both public keys in the one trust list.
  const entries = [];
  for (const m of [a, b]) {
    const made = await runCli(['keys', 'worker'], m.env);
    expect(made.code).toBe(0);
    entries.push(made.stdout);
  }
  writeFileSync(trustList, `keys:\n${entries.join('')}`);
  await startWorker(a, 'workflows,publish,data');
  await startWorker(b, 'models');
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
}, 120_000);

afterAll(async () => {
  for (const m of [a, b]) m.process?.kill('SIGTERM');
  await client?.connection.close();
});

describe('two worker machines sharing Temporal and the database', () => {
  it('run 20 campaigns at once to published, and every trail verifies from either machine', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `machines-${i}-${Math.random().toString(36).slice(2, 8)}`);
    await Promise.all(
      ids.map((id) => startCampaign(client, GOOD_BRIEF, 'lena.vogel', id, taskQueue, { keyDir: approverKeys })),
    );
    await Promise.all(
      ids.map(async (id) => {
        const handle = client.workflow.getHandle(id);
        const { contentHash } = await waitForApproval(handle, { timeoutMs: 120_000 });
        const draft = {
          decision: 'approve' as const,
          approver: 'jonas.weber',
          contentHash,
          ...(await decisionBinding(client, id)),
        };
        const decision = sealDecision(id, draft, { keyDir: approverKeys, signaturesRequired: true });
        await handle.executeUpdate(decideUpdate, { args: [decision] });
        const result = (await handle.result()) as { outcome: { kind: string } };
        expect(result.outcome.kind).toBe('published');
      }),
    );
    // Published on machine A, which has the publish role; nothing on B.
    expect(readdirSync(a.env.CAMPAIGN_OUTBOX_DIR as string)).toHaveLength(20);
    for (const id of ids.slice(0, 3)) {
      for (const m of [a, b]) {
        const verified = await runCli(['audit', 'verify', id], m.env);
        expect({ machine: m.name, code: verified.code }).toEqual({ machine: m.name, code: 0 });
        expect(verified.stdout).toMatch(/: VERIFIED/);
      }
    }
    const all = await runCli(['audit', 'verify', ids[19] as string, '--json'], b.env);
    expect(JSON.parse(all.stdout)).toMatchObject({ ok: true });
    for (const m of [a, b])
      expect({ machine: m.name, refused: /refused/i.test(m.log) }).toEqual({ machine: m.name, refused: false });
  }, 300_000);

  it('refuses to start a machine whose inbox secret differs from the deployment', async () => {
    const c = machine('c');
    c.env.CAMPAIGN_INBOX_SECRET = 'cd'.repeat(32);
    c.env.CAMPAIGN_WORKER_KEYS_FILE = trustList;
    const made = await runCli(['keys', 'worker'], c.env);
    writeFileSync(trustList, `keys:\n${readTrust()}${made.stdout}`);
    await expect(startWorker(c, 'models')).rejects.toThrow(
      /this worker's CAMPAIGN_INBOX_SECRET .* differs from the deployment's .*every machine needs the same/,
    );
  });

  it("refuses to start a machine whose checkpoint key is not in the deployment's trust list", async () => {
    const d = machine('d');
    await expect(startWorker(d, 'models')).rejects.toThrow(
      /checkpoint key ed25519:[0-9a-f]{16} is not in the trust list/,
    );
  });
});

/** The entries of the trust list, without its heading. */
function readTrust(): string {
  return readFileSync(trustList, 'utf8').replace(/^keys:\n/, '');
}
