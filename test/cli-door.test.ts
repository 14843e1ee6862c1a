import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startCampaign } from '../client/start';
import { PROJECT_ROOT } from '../config/paths';
import { TASK_QUEUE } from '../domain/task-queue';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { runCli } from './support/run-cli';

// Mistakes caught at the door: each is one line, a non-zero exit, and nothing started or sent.
const BRIEF = resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml');
let env: CampaignEnv;

beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorkerOn(`${TASK_QUEUE}-door`);
});
afterAll(() => env?.close());

const cli = (extra: Record<string, string> = {}) => ({
  ...env.cliEnv(),
  CAMPAIGN_TASK_QUEUE: `${TASK_QUEUE}-door`,
  ...extra,
});

/** The sample brief with `change` applied, as a file. */
function briefWith(change: (brief: Record<string, unknown>) => void): string {
  const brief = parse(readFileSync(BRIEF, 'utf8')) as Record<string, unknown>;
  change(brief);
  const file = join(mkdtempSync(join(tmpdir(), 'door-')), 'brief.yaml');
  writeFileSync(file, stringify(brief));
  return file;
}

async function notStarted(id: string): Promise<void> {
  const found = await env.client.workflow
    .getHandle(id)
    .describe()
    .then(
      () => 'started',
      (e: Error) => e.name,
    );
  expect(found).toBe('WorkflowNotFoundError');
}

describe('campaign start at the door', () => {
  it.each([
    [
      'an unknown requester',
      BRIEF,
      'lena.voegl',
      /^campaign: requester 'lena\.voegl' is not in the roster \(did you mean lena\.vogel\?\)\n$/,
    ],
    [
      'an unknown brand',
      briefWith((b) => (b.brand = 'stadtwerke-elbtl')),
      'lena.vogel',
      /^campaign: brief\.brand 'stadtwerke-elbtl' is not a brand here \(did you mean stadtwerke-elbtal\?\)\n$/,
    ],
    [
      'an unknown segment',
      briefWith((b) => ((b.audience as Record<string, string>).segment = 'senior-elbtal')),
      'lena.vogel',
      /^campaign: brief\.audience\.segment 'senior-elbtal' is not a segment of brand 'stadtwerke-elbtal' \(did you mean seniors-elbtal\?\)\n$/,
    ],
    [
      'a purpose nobody in the segment consented to',
      briefWith((b) => {
        b.audience = { segment: 'seniors-elbtal', purpose: 'personalised-ads' };
        b.channels = ['search-ad', 'social'];
      }),
      'lena.vogel',
      /^campaign: brief\.audience: nobody in segment 'seniors-elbtal' consented to personalised-ads/,
    ],
    [
      'a requester who is no requester',
      BRIEF,
      'jonas.weber',
      /^campaign: jonas\.weber is not a requester for brand 'stadtwerke-elbtal' in the roster\n$/,
    ],
  ])('refuses %s before anything starts', async (_label, file, requester, problem) => {
    const id = `door-${Math.random().toString(36).slice(2, 10)}`;
    const run = await runCli(['start', file, '--requested-by', requester, '--id', id], cli());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(problem);
    await notStarted(id);
  });
});

describe('names that are no one, and tools that do not exist', () => {
  it.each([
    [
      ['approve', 'any-campaign', '--as', 'jonas.webr'],
      /^campaign: --as: 'jonas\.webr' is not in the roster \(did you mean jonas\.weber\?\)\n$/,
    ],
    [['inbox', '--as', 'nobody.here'], /^campaign: --as: 'nobody\.here' is not in the roster\n$/],
    [['budget', 'any-campaign', '--as', 'sara.yilmz', '--stop', '--reason', 'x'], /did you mean sara\.yilmaz\?/],
    [
      ['policy', 'explain', '--agent', 'copywriter', '--tool', 'llm.generat'],
      /^campaign: --tool: 'llm\.generat' is no tool of this project \(did you mean llm\.generate\?\); one of roster\.read, /,
    ],
    [
      ['policy', 'explain', '--agent', 'copywritr', '--tool', 'llm.generate'],
      /--agent: 'copywritr' is no agent of this project \(did you mean copywriter\?\)/,
    ],
  ])('campaign %j', async (args, problem) => {
    const run = await runCli(args, cli());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(problem);
  });
});

describe('following a campaign', () => {
  it('starts and waits for the gate, then lists it and shows its copy without deciding', async () => {
    const id = `door-wait-${Math.random().toString(36).slice(2, 10)}`;
    const started = await runCli(['start', BRIEF, '--requested-by', 'lena.vogel', '--id', id, '--wait'], cli());
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(new RegExp(`^started ${id}\\n`));
    expect(started.stdout).toMatch(new RegExp(`${id}, round 1: 3 variant\\(s\\), \\d+ review finding\\(s\\)`));
    expect(started.stdout).toMatch(/content hash [0-9a-f]{64}\n {2}decide: npx campaign approve /);
    const shown = await runCli(['show', id], cli());
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('[search-ad]');
    // Other test files run campaigns on the same server at the same time: look among all the running ones.
    const listed = await runCli(['list', '--running', '--limit', '5000', '--json'], cli());
    const entry = (
      JSON.parse(listed.stdout) as { workflowId: string; stage: string; requestedBy: string; deadline: string }[]
    ).find((v) => v.workflowId === id);
    expect(entry).toMatchObject({
      stage: 'awaiting-approval',
      requestedBy: 'lena.vogel',
      deadline: expect.any(String),
    });
    const text = await runCli(['list', '--running', '--limit', '5000'], cli());
    expect(text.stdout).toMatch(
      new RegExp(`${id} {2}running {2}awaiting-approval {2}requested by lena\\.vogel {3}deadline `),
    );
    expect((await runCli(['list', '--limit', '0'], cli())).stderr).toMatch(/^campaign: --limit: a whole number/);
    await env.client.workflow.getHandle(id).terminate('test over');
    const ended = await runCli(['show', id], cli());
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(/has ended \(terminated/);
  });

  it('exits non-zero for a failed campaign and says what it was and why', async () => {
    // Started past the door (a client of its own): the planner refuses the requester in the first step.
    const id = `door-failed-${Math.random().toString(36).slice(2, 10)}`;
    await startCampaign(env.client, GOOD_BRIEF, 'nobody.here', id, `${TASK_QUEUE}-door`, { keyDir: env.keyDir });
    const handle = env.client.workflow.getHandle(id);
    await handle.result().catch(() => undefined);
    const run = await runCli(['status', handle.workflowId], cli());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${handle.workflowId}: (no name: it ended before its plan was made)`);
    expect(run.stdout).toMatch(/failed: .*nobody\.here/);
    const json = await runCli(['status', handle.workflowId, '--json'], cli());
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).failure).toMatch(/nobody\.here/);
  });

  it('prints its version', async () => {
    const run = await runCli(['--version'], cli());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^campaign 0\.1\.0 \(build [0-9a-f]{16}(, revision [0-9a-f]{12})?\)\n$/);
  });
});
