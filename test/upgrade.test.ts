import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decisionBinding, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { PROJECT_ROOT } from '../config/paths';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { decideUpdate } from '../workflows/messages';
import { GOOD_BRIEF } from './support/campaign-env';
import { productionDataDir } from './support/production-data';
import { runCli } from './support/run-cli';
import { freshDatabase, ownerUrlOf } from './support/test-database';

// An upgrade as an operator makes it: a campaign waits at the gate on the last release with the file store (unversioned
// workers, trails in CAMPAIGN_AUDIT_DIR); its workers stop, `campaign audit import` moves the trails into the governance
// store, this build's workers start, and the waiting campaign publishes, its whole trail in the store and verified.

/** The last commit whose workers kept the audit trail in files. */
const FILE_STORE_RELEASE = '142361c';
const old = mkdtempSync(join(tmpdir(), 'campaign-release-'));
chmodSync(old, 0o755);
execFileSync('sh', ['-c', `git archive ${FILE_STORE_RELEASE} | tar -x -C ${old}`], { cwd: PROJECT_ROOT });
symlinkSync(resolve(PROJECT_ROOT, 'node_modules'), join(old, 'node_modules'));
symlinkSync(resolve(PROJECT_ROOT, '.temporal'), join(old, '.temporal'));

const scratch = mkdtempSync(join(tmpdir(), 'upgrade-'));
const keyDir = join(scratch, 'keys');
provisionRosterKeys(resolve(PROJECT_ROOT, 'examples'), keyDir);
// Production's one trust root: the approvers' public keys in the roster (this build reads the keyring only in the demo).
// The data is the release's own: a setting it did not know yet (a brand's `language`) would be refused by its schema.
const dataDir = productionDataDir(keyDir, join(old, 'examples'));
const taskQueue = `upgrade-${Math.random().toString(36).slice(2, 10)}`;
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  TEMPORAL_NAMESPACE: 'default',
  CAMPAIGN_TASK_QUEUE: taskQueue,
  CAMPAIGN_KEY_DIR: keyDir,
  CAMPAIGN_DATA_DIR: dataDir,
  CAMPAIGN_OUTBOX_DIR: join(scratch, 'outbox'),
  CAMPAIGN_NOTIFY_FILE: join(scratch, 'notifications.jsonl'),
  CAMPAIGN_CODEC_KEY_FILE: 'none',
  LOG_LEVEL: 'warn',
};
const auditDir = join(scratch, 'audit');
const databaseUrl = await freshDatabase();
let worker: ChildProcess | undefined;
let client: Client | undefined;

/** A `campaign worker` of the project in `root`, resolved once it polls. */
function startWorker(root: string, extra: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'bin', 'campaign.js'), 'worker'], {
    cwd: root,
    env: { ...env, ...extra },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  return new Promise((ready, fail) => {
    const poll = setInterval(async () => {
      const described = await client?.workflowService
        .describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 })
        .catch(() => null);
      if (described?.pollers?.some((p) => p.identity?.startsWith(`${child.pid}@`))) {
        clearInterval(poll);
        ready(child);
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(poll);
      fail(new Error(`the worker in ${root} exited (${code}): ${log}`));
    });
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

afterAll(async () => {
  await stop(worker);
  await client?.connection.close();
  rmSync(old, { recursive: true, force: true });
});

describe('an upgrade from the file store', () => {
  it('finishes a campaign that waited at the gate across the change, its whole trail in the store', async () => {
    client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
    worker = await startWorker(old, { CAMPAIGN_AUDIT_DIR: auditDir });
    const id = `upgrade-${Math.random().toString(36).slice(2, 8)}`;
    // Started as that release's CLI did: with no signed start, which its input schema does not know.
    await startCampaign(client, GOOD_BRIEF, 'lena.vogel', id, taskQueue);
    const handle = client.workflow.getHandle(id);
    const { contentHash } = await waitForApproval(handle, { timeoutMs: 120_000 });
    await stop(worker);
    expect(readdirSync(auditDir)).toContain(`${id}.jsonl`);

    // The operator moves the trails in, then starts this build's workers on the store.
    const withoutOwner = await runCli(['audit', 'import', auditDir], { ...env, CAMPAIGN_DATABASE_URL: databaseUrl });
    expect(withoutOwner).toMatchObject({ code: 2 });
    expect(withoutOwner.stderr).toMatch(/^campaign: --owner-url: required .*only the owner role may mark/);
    const imported = await runCli(['audit', 'import', auditDir, '--owner-url', await ownerUrlOf(databaseUrl)], {
      ...env,
      CAMPAIGN_DATABASE_URL: databaseUrl,
    });
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('imported 1 trail(s)');
    expect(imported.stderr).toContain(`${id}: 5 events verified, 5 new, bound to its run`);
    worker = await startWorker(PROJECT_ROOT, { CAMPAIGN_DATABASE_URL: databaseUrl });
    const draft = {
      decision: 'approve' as const,
      approver: 'jonas.weber',
      contentHash,
      ...(await decisionBinding(client, id)),
    };
    await handle.executeUpdate(decideUpdate, { args: [sealDecision(id, draft, { keyDir, signaturesRequired: true })] });
    const result = (await handle.result()) as { outcome: { kind: string }; audit: { hash: string }[] };
    expect(result.outcome.kind).toBe('published');
    const verified = await runCli(['audit', 'verify', id, '--json'], { ...env, CAMPAIGN_DATABASE_URL: databaseUrl });
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    const report = JSON.parse(
      (await runCli(['audit', id, '--format', 'json'], { ...env, CAMPAIGN_DATABASE_URL: databaseUrl })).stdout,
    );
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual([
      'start',
      'plan',
      'research',
      'brief',
      'variants',
      'review',
      'approval',
      'publish',
    ]);
  }, 240_000);

  it('refuses a trail that does not verify, naming its file, and imports nothing', async () => {
    const tampered = mkdtempSync(join(tmpdir(), 'upgrade-tampered-'));
    const files = readdirSync(auditDir).filter((f) => f.endsWith('.jsonl'));
    for (const f of readdirSync(auditDir)) execFileSync('cp', [join(auditDir, f), join(tampered, f)]);
    const trail = join(tampered, files[0] as string);
    execFileSync('sed', ['-i', 's/"lena.vogel"/"paul.richter"/', trail]);
    expect(readFileSync(trail, 'utf8')).toContain('"paul.richter"');
    const fresh = await freshDatabase();
    const refused = await runCli(['audit', 'import', tampered, '--owner-url', await ownerUrlOf(fresh)], {
      ...env,
      CAMPAIGN_DATABASE_URL: fresh,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^campaign: refused ${trail}: .*nothing was imported`));
    const listed = await runCli(['policy', 'whatif', '--policies', resolve(PROJECT_ROOT, 'policies'), '--json'], {
      ...env,
      CAMPAIGN_DATABASE_URL: fresh,
    });
    expect(JSON.parse(listed.stdout)).toMatchObject({ campaigns: 0 });
  });
});
