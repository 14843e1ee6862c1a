import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decisionBinding, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { PROJECT_ROOT } from '../config/paths';
import { provisionRosterKeys } from '../devserver/demo-keys';
import { freePort } from '../devserver/free-port';
import { describeDeployment } from '../worker/deployment';
import { decideUpdate } from '../workflows/messages';
import { GOOD_BRIEF } from './support/campaign-env';
import { copyProject } from './support/project-copy';

// A developer's day with `campaign dev`: a campaign waits at the gate, the workflow code changes in a way that would
// break its replay, and nothing needs a patch: the campaign finishes on the build it started on, new campaigns run
// the new code, and the old build's worker goes once its campaigns are done, also across a restart of the stack.

const { EventType } = proto.temporal.api.enums.v1;
const root = copyProject();
const scratch = mkdtempSync(join(tmpdir(), 'dev-versions-'));
const keyDir = join(scratch, 'keys');
provisionRosterKeys(resolve(PROJECT_ROOT, 'examples'), keyDir);
// The bundle of today's code is already built (global setup): build A starts in a second.
const bundleDir = join(scratch, 'bundles');
mkdirSync(bundleDir);
copyFileSync(inject('workflowBundlePath'), join(bundleDir, basename(inject('workflowBundlePath'))));
const port = await freePort();
const pgPort = await freePort();
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  CAMPAIGN_BUNDLE_DIR: bundleDir,
  CAMPAIGN_KEY_DIR: keyDir,
  CAMPAIGN_OUTBOX_DIR: join(scratch, 'outbox'),
  CAMPAIGN_LOCAL_DATABASE_DIR: join(scratch, 'postgres'),
  CAMPAIGN_NOTIFY_FILE: join(scratch, 'notifications.jsonl'),
  LOG_LEVEL: 'warn',
};
let dev: { child: ChildProcess; output: string[] } | undefined;
let client: Client | undefined;

/** Starts `campaign dev` from the copy, on a database file that survives a restart. */
async function startDev(): Promise<NonNullable<typeof dev>> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'campaign.js'),
      'dev',
      '--no-encryption',
      '--no-login',
      '--port',
      String(port),
      '--ui-port',
      String(await freePort()),
      '--db',
      join(scratch, 'temporal.sqlite'),
      '--pg-port',
      String(pgPort),
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await expect.poll(() => output.some((l) => l.startsWith('Temporal UI:')), { timeout: 30_000 }).toBe(true);
  return { child, output };
}

async function stopDev(): Promise<void> {
  const running = dev;
  dev = undefined;
  if (!running || running.child.exitCode !== null) return;
  const exited = new Promise((done) => running.child.once('exit', done));
  running.child.kill('SIGINT');
  await exited;
}

/** The build the deployment routes new campaigns to, once there is one other than `other`. */
async function currentBuild(other?: string): Promise<string> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const { current } = await describeDeployment(client as Client, 'campaigns');
    if (current !== null && current !== other) return current;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no current build other than ${other} within 120 s:\n${dev?.output.join('\n')}`);
}

/** The build ids of the workers that completed the campaign's workflow tasks. */
async function buildsOf(handle: WorkflowHandle): Promise<Set<string>> {
  const history = await handle.fetchHistory();
  return new Set(
    (history.events ?? [])
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
      .map((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? 'unversioned'),
  );
}

/** Whether the campaign ran the changed code: its history holds the 1 ms timer (the gate's timers run for hours). */
async function hasChangedTimer(handle: WorkflowHandle): Promise<boolean> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).some((e) => {
    const timeout = e.timerStartedEventAttributes?.startToFireTimeout;
    return e.eventType === EventType.EVENT_TYPE_TIMER_STARTED && Number(timeout?.seconds ?? 0) === 0;
  });
}

async function approve(handle: WorkflowHandle, contentHash: string): Promise<string> {
  const draft = {
    decision: 'approve' as const,
    approver: 'jonas.weber',
    contentHash,
    ...(await decisionBinding(client as Client, handle.workflowId)),
  };
  await handle.executeUpdate(decideUpdate, {
    args: [sealDecision(handle.workflowId, draft, { keyDir, signaturesRequired: true })],
  });
  return ((await handle.result()) as { outcome: { kind: string } }).outcome.kind;
}

/** Runs the copy's CLI against the stack. */
function runIn(dir: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(dir, 'bin', 'campaign.js'), ...args], {
      cwd: dir,
      env: { ...env, TEMPORAL_ADDRESS: `127.0.0.1:${port}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('close', (code) => done({ code, stderr }));
  });
}

afterAll(async () => {
  await client?.connection.close();
  await stopDev();
});

describe('campaign dev across a change to the workflow code', () => {
  it('keeps a waiting campaign on its build, runs new ones on the new code, and needs no patch', async () => {
    dev = await startDev();
    client = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${port}` }) });
    const a = await currentBuild();
    const old = await startCampaign(client, GOOD_BRIEF, 'lena.vogel', 'before-the-change', 'campaigns', { keyDir });
    const oldHandle = client.workflow.getHandle(old.workflowId);
    const { contentHash: oldHash } = await waitForApproval(oldHandle, { timeoutMs: 60_000 });

    // A change that replaying the waiting campaign would reject: a timer before the first step.
    const file = join(root, 'workflows', 'campaign.ts');
    const code = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      code
        .replace(
          "import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';",
          "import { ApplicationFailure, sleep, workflowInfo } from '@temporalio/workflow';",
        )
        .replace('    // 1. Plan:', "    await sleep('1 ms');\n    // 1. Plan:"),
    );
    expect(readFileSync(file, 'utf8')).toContain("await sleep('1 ms')");
    const b = await currentBuild(a);
    expect(dev.output.join('\n')).toContain(`workflow code changed: build ${b} starts and becomes current`);

    const fresh = await startCampaign(client, GOOD_BRIEF, 'lena.vogel', 'after-the-change', 'campaigns', { keyDir });
    const freshHandle = client.workflow.getHandle(fresh.workflowId);
    const { contentHash: freshHash } = await waitForApproval(freshHandle, { timeoutMs: 60_000 });
    expect(await hasChangedTimer(freshHandle)).toBe(true);

    // The stack restarts (Ctrl-C, `npm start` again): the old build's campaign still has a worker, from the cache.
    await stopDev();
    dev = await startDev();
    await expect
      .poll(() => dev?.output.some((l) => l.includes(`campaign(s) run on build ${a}`)), { timeout: 60_000 })
      .toBe(true);

    expect(await approve(oldHandle, oldHash)).toBe('published');
    expect(await approve(freshHandle, freshHash)).toBe('published');
    expect(await buildsOf(oldHandle)).toEqual(new Set([a]));
    expect(await buildsOf(freshHandle)).toEqual(new Set([b]));
    expect(await hasChangedTimer(oldHandle)).toBe(false);
    // With its last campaign done, the old build's worker stops at the next look.
    await expect
      .poll(() => dev?.output.some((l) => l.includes(`build ${a} has no running campaigns left`)), { timeout: 30_000 })
      .toBe(true);
    expect(dev.output.filter((l) => l.includes('!!!'))).toEqual([]);

    // The auditor's replay takes each campaign to its own build's bundle: the old one replays clean on build A's
    // code, and would not on today's (which has the timer).
    const replay = (id: string) => runIn(root, ['replay', id, '--json']);
    const clean = await replay(oldHandle.workflowId);
    expect(clean.stderr).toContain(`build ${a}, replayed on its own bundle; deterministic`);
    rmSync(join(bundleDir, basename(inject('workflowBundlePath'))));
    const onToday = await replay(oldHandle.workflowId);
    expect(onToday.stderr).toContain(
      `build ${a}, replayed on today's code (its bundle is not cached here); NOT deterministic`,
    );
    // Two restarts of a whole stack and two bundle builds: on 2 busy cores this takes well over a minute.
  }, 240_000);
});
