import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/paths';
import { TASK_QUEUE } from '../domain/task-queue';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { KEYRING_FILE } from '../keys/signing-keys';
import { CampaignEnv } from './support/campaign-env';
import { runCli } from './support/run-cli';

const BRIEF = resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml');
let env: CampaignEnv;
let outboxDir: string;

beforeAll(async () => {
  env = await CampaignEnv.create();
  outboxDir = env.outboxDir;
  // The CLI starts campaigns on the production task queue; this file is the only one with a worker on it.
  await env.startWorkerOn(TASK_QUEUE);
});
afterAll(() => env?.close());

/** The CLI as an approver on this machine runs it: with the signing keys this env's worker knows. */
const asApprover = () => ({ CAMPAIGN_KEY_DIR: env.keyDir, CAMPAIGN_DEMO: '1' });

async function inboxEntry(id: string, as?: string) {
  // A personal inbox needs the inbox secret the worker shares, in the key folder.
  const run = await runCli(['inbox', '--json', ...(as ? ['--as', as] : [])], asApprover());
  expect(run.code).toBe(0);
  return (
    JSON.parse(run.stdout) as { workflowId: string; requestedBy: string; mayDecide: string[]; contentHash: string }[]
  ).find((e) => e.workflowId === id);
}

async function waitForInbox(id: string) {
  for (let i = 0; i < 100; i++) {
    const entry = await inboxEntry(id);
    if (entry) return entry;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${id} never reached the inbox`);
}

describe('the CLI from start to outbox', () => {
  it('starts, lists in the inbox, refuses the requester, approves, and shows the published status', async () => {
    const id = `cli-flow-${Date.now()}`;
    // A start is signed by its requester: without their key, nothing starts.
    // (The roster's public keys are there, as the worker reads them; lena.vogel's private key is not.)
    const publicOnly = mkdtempSync(join(tmpdir(), 'no-keys-'));
    copyFileSync(join(env.keyDir, KEYRING_FILE), join(publicOnly, KEYRING_FILE));
    const unsigned = await runCli(['start', BRIEF, '--requested-by', 'lena.vogel', '--id', id], {
      CAMPAIGN_KEY_DIR: publicOnly,
      CAMPAIGN_DEMO: '1',
    });
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toMatch(
      /^campaign: lena\.vogel has no signing key in .*: a campaign's start is signed by its requester; create one with `npx campaign keys new --as lena\.vogel`/,
    );
    expect(
      await env.client.workflow
        .getHandle(id)
        .describe()
        .catch((e: Error) => e.name),
    ).toBe('WorkflowNotFoundError');
    const started = await runCli(['start', BRIEF, '--requested-by', 'lena.vogel', '--id', id, '--json'], asApprover());
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({
      workflowId: id,
      url: expect.stringContaining(`/workflows/${id}`),
    });

    const entry = await waitForInbox(id);
    expect(entry).toMatchObject({
      requestedBy: 'lena.vogel',
      mayDecide: ['jonas.weber', 'sara.yilmaz', 'miriam.koch', 'paul.richter'],
      mayApprove: ['jonas.weber', 'sara.yilmaz', 'miriam.koch', 'paul.richter'],
    });
    expect(await inboxEntry(id, 'tobias.brandt')).toBeUndefined();
    expect(await inboxEntry(id, 'lena.vogel')).toBeUndefined();
    expect(await inboxEntry(id, 'sara.yilmaz')).toBeDefined();
    // The personal inbox is a search on opaque tokens: no search attribute names anyone from the roster.
    const attributes = JSON.stringify((await env.client.workflow.getHandle(id).describe()).searchAttributes);
    expect(attributes).toMatch(/"CampaignInbox":\["i[0-9a-f]{24}"/);
    for (const person of ['lena', 'jonas', 'sara', 'miriam', 'paul', 'weber', 'vogel'])
      expect(attributes).not.toContain(person);
    const query = await runCli(['inbox', '--as', 'sara.yilmaz', '--query'], asApprover());
    expect(query.stdout).toMatch(/^CampaignInbox = "i[0-9a-f]{24}" AND ExecutionStatus = "Running"\n$/);
    expect(query.stderr).toContain('save it as a view in the Temporal UI');
    // Another deployment's secret gives other tokens: nothing there.
    const elsewhere = await runCli(['inbox', '--json', '--as', 'sara.yilmaz'], {
      CAMPAIGN_KEY_DIR: env.keyDir,
      CAMPAIGN_INBOX_SECRET: 'ab'.repeat(32),
    });
    expect(JSON.parse(elsewhere.stdout)).toEqual([]);
    // Without the workers' secret the CLI says so instead of making one that finds nothing.
    const noSecret = await runCli(['inbox', '--as', 'sara.yilmaz'], {
      CAMPAIGN_KEY_DIR: mkdtempSync(join(tmpdir(), 'no-keys-')),
    });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toMatch(/^campaign: no inbox secret in .*inbox\.secret: set CAMPAIGN_INBOX_SECRET/);

    const hash = ['--content-hash', entry.contentHash];
    const own = await runCli(['approve', id, '--as', 'lena.vogel', ...hash], asApprover());
    expect(own.code).toBe(1);
    expect(own.stderr).toBe(
      'campaign: refused: lena.vogel hat diese Kampagne beauftragt und darf nicht darüber entscheiden\n',
    );

    // Off a terminal, nobody can approve content they were not shown.
    const unseen = await runCli(['approve', id, '--as', 'jonas.weber'], asApprover());
    expect(unseen.code).toBe(2);
    expect(unseen.stderr).toMatch(/^campaign: --content-hash: required when not on a terminal/);
    const blank = await runCli(['reject', id, '--as', 'jonas.weber', '--reason', '   ', ...hash], asApprover());
    expect(blank).toMatchObject({ code: 2, stderr: 'campaign: --reason: required\n' });
    // Without the approver's key the campaign, which requires signed decisions, is not even asked.
    const keyless = await runCli(['approve', id, '--as', 'jonas.weber', ...hash]);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toMatch(/^campaign: jonas.weber has no signing key in .* requires signed decisions/);

    const approved = await runCli(
      ['approve', id, '--as', 'jonas.weber', '--comment', 'passt', '--json', ...hash],
      asApprover(),
    );
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({
      accepted: true,
      decision: 'approve',
      approvalsSoFar: 1,
      message: 'Freigegeben von jonas.weber (1 von 1). Die Kampagne wird jetzt veröffentlicht.',
    });

    await env.client.workflow.getHandle(id).result();
    const status = await runCli(['status', id, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      status: 'COMPLETED',
      stage: 'published',
      // The top level agrees with the outcome.
      approvedBy: ['jonas.weber'],
      contentHash: entry.contentHash,
      mayDecide: [],
      deadline: null,
      outcome: { kind: 'published', approvedBy: ['jonas.weber'], contentHash: entry.contentHash },
    });
    expect(JSON.parse(status.stdout)).toMatchObject({
      usage: { calls: 4, cachedCalls: 0, costEur: 0 },
      usageByStep: { research: { calls: 1 }, brief: { calls: 1 }, variants: { calls: 1 }, review: { calls: 1 } },
    });
    const text = await runCli(['status', id]);
    expect(text.stdout).toContain('model use: 4 calls (0 from cache), 0 in / 0 out tokens, €0.0000');
    expect(existsSync(resolve(outboxDir, id, 'package.json'))).toBe(true);
    // A decision that comes too late is told so, and nothing is sent.
    const late = await runCli(['approve', id, '--as', 'sara.yilmaz', ...hash], asApprover());
    expect(late).toMatchObject({
      code: 1,
      stderr: `campaign: campaign '${id}' has ended (completed, stage published); a decision now would not be recorded\n`,
    });
  });

  it('refuses a second campaign with an id that is running, or that ran before', async () => {
    const id = `cli-dup-${Date.now()}`;
    expect((await runCli(['start', BRIEF, '--requested-by', 'lena.vogel', '--id', id], asApprover())).code).toBe(0);
    const again = await runCli(['start', BRIEF, '--requested-by', 'lena.vogel', '--id', id], asApprover());
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`campaign: --id: a campaign with id '${id}' already exists (running or finished)\n`);
    // Once planned, the run is the campaign: its id stays its own after it ends.
    await waitForInbox(id);
    await env.client.workflow.getHandle(id).terminate('test done');
    const reused = await runCli(['start', BRIEF, '--requested-by', 'lena.vogel', '--id', id], asApprover());
    expect(reused.code).toBe(2);
    expect(reused.stderr).toBe(`campaign: --id: a campaign with id '${id}' already exists (running or finished)\n`);
  });

  it('refuses to show a workflow that is not a campaign as one, and explains why a campaign failed', async () => {
    const other = `not-a-campaign-${Date.now()}`;
    await env.client.workflow.start('somethingElse', { taskQueue: 'nobody-polls', workflowId: other });
    const status = await runCli(['status', other]);
    expect(status).toMatchObject({
      code: 1,
      stderr: `campaign: '${other}' is not a campaign (its workflow type is somethingElse)\n`,
    });
    await env.client.workflow.getHandle(other).terminate('test done');

    const failing = `cli-failing-${Date.now()}`;
    const bad = { brief: { campaign: 'Roh gestartet' }, requestedBy: 'lena.vogel' };
    await env.client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUE,
      workflowId: failing,
      args: [bad],
    });
    await env.client.workflow
      .getHandle(failing)
      .result()
      .catch(() => undefined);
    const explained = await runCli(['status', failing]);
    expect(explained.stdout).toContain('failed: invalid campaign input: input.brief.brand: is required');
  });

  it('names an unknown campaign and an unreachable server in one line each', async () => {
    const missing = await runCli(['status', 'no-such-campaign']);
    expect(missing).toMatchObject({ code: 1, stderr: "campaign: no campaign with id 'no-such-campaign'\n" });
    const unreachable = await runCli(['inbox'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^campaign: cannot reach Temporal at 127.0.0.1:1: start it with `npm start`/);
  });
});
