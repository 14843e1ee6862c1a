import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFileDataStore } from '../activities/data-store';
import { verifyEvidencePack, writeEvidencePack } from '../audit/evidence-pack';
import { packagePath, readPackage } from '../audit/package';
import { replayCampaign, replayCampaigns } from '../audit/replay';
import { policyWhatIf } from '../audit/whatif';
import { PROJECT_ROOT } from '../config/paths';
import { loadSettings } from '../config/settings';
import type { CampaignResult } from '../domain/campaign';
import { KEYRING_FILE } from '../keys/signing-keys';
import { readTrustFile } from '../keys/worker-keys';
import { loadPolicyEngine } from '../policies/engine';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { FakeOpenAI } from './support/fake-openai';
import { runCli } from './support/run-cli';
import { campaignScript } from './support/scripted-model';

type History = temporal.api.history.v1.IHistory;
let env: CampaignEnv;
beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorker();
});
afterAll(() => env?.close());

const FIXTURES = resolve(import.meta.dirname, 'fixtures/histories');
const fixture = (file: string): History => historyFromJSON(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
const bundle = () => ({ codePath: inject('workflowBundlePath') });
const empty = () => mkdtempSync(join(tmpdir(), 'audit-empty-'));
const asAuditor = () => ({
  // This env's workers run as the demo does: the approvers' keys are in the keyring beside the roster.
  CAMPAIGN_DEMO: '1',
  CAMPAIGN_DATABASE_URL: env.databaseUrl,
  CAMPAIGN_OUTBOX_DIR: env.outboxDir,
  CAMPAIGN_KEY_DIR: env.keyDir,
});

/** A published campaign on this env's worker, with its result. */
async function published(): Promise<{ id: string; result: CampaignResult }> {
  const handle = await env.start();
  const hash = await env.awaitApproval(handle);
  await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
  return { id: handle.workflowId, result: (await handle.result()) as CampaignResult };
}

describe('replay audits', () => {
  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')))(
    '%s: deterministic, and every activity and decision in it matches its trail',
    async (file) => {
      const report = await replayCampaign(fixture(file), {
        workflowBundle: bundle(),
        outboxDir: empty(),
      });
      expect(report).toMatchObject({
        deterministic: true,
        comparedWith: 'workflow result',
        consistent: true,
        mismatch: null,
      });
    },
  );

  it('runs through the CLI for a file, with one JSON document and exit 0', async () => {
    const run = await runCli(['replay', '--file', join(FIXTURES, 'campaign-high-risk-changes-v7.json'), '--json'], {
      CAMPAIGN_OUTBOX_DIR: empty(),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ replayed: 1, failed: 0 });
    expect(run.stderr).toMatch(
      /\[1\] fixture-campaign-high-risk-changes-v7: unversioned, replayed on today's code; deterministic; consistent with the workflow result/,
    );
  });

  it.each([
    ['an altered activity result', tamperResult, /\d+ \(writeVariants\) \d+ \(variants\) the activity result differs/],
    ['an altered approval', tamperApproval, /\d+ \(decide Update\) \d+ \(approval\)/],
    ['an inserted decision', insertDecision, /decide Update/],
    ['a removed activity', removeReview, /reviewVariants|Replay failed|[Nn]ondetermin/],
    [
      'a budget raised to another amount',
      tamperBudget,
      /\d+ \(budgetDecision Update\) \d+ \(budget\) .*another amount/,
    ],
  ])('detects %s in an exported history, and names the event', async (_label, tamper, named) => {
    const history = tamper(
      fixture(tamper === tamperBudget ? 'campaign-budget-raise-v9.json' : 'campaign-high-risk-changes-v7.json'),
    );
    const report = await replayCampaign(history, { workflowBundle: bundle(), outboxDir: empty() });
    expect(report.deterministic && report.consistent).toBe(false);
    const said = `${report.divergence ?? ''} ${report.mismatch?.historyEvent ?? ''} ${report.mismatch?.auditEvent ?? ''}`;
    expect(`${said} ${report.mismatch?.problem ?? ''}`).toMatch(named);
  });
});

describe('replaying many histories with one replay worker', () => {
  it('reports each history for itself: a diverging one among sound ones, and two runs of one campaign id', async () => {
    const sound = fixture('sample-campaign-approved-v14.json');
    const other = fixture('campaign-high-risk-changes-v14.json');
    // The same history under a workflow type today's code does not have: it cannot replay.
    const renamed = structuredClone(sound);
    const started = renamed.events?.[0]?.workflowExecutionStartedEventAttributes;
    if (started?.workflowType) started.workflowType.name = 'noSuchWorkflow';
    const reports = [];
    for await (const report of replayCampaigns([sound, renamed, other, sound], {
      workflowBundle: bundle(),
      outboxDir: empty(),
    })) {
      reports.push(report);
    }
    expect(reports.map((r) => r.deterministic)).toEqual([true, false, true, true]);
    expect(reports[1]?.divergence).toBeTruthy();
    expect(reports.map((r) => r.consistent)).toEqual([true, true, true, true]);
  });
});

describe('the audit store outlives the workflow', () => {
  it('holds each event exactly once when an activity is retried after the store took its events', async () => {
    // The copywriter's first attempt fails after the interceptor handed the store its events; the retry hands them again.
    const fake = await FakeOpenAI.start(
      campaignScript((schema, n) =>
        schema === 'variant_set' && n === 0 ? { status: 500, error: { message: 'boom' } } : undefined,
      ),
    );
    const campaigns = await CampaignEnv.create();
    await campaigns.startWorker(campaigns.deps({ modelEnv: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test' } }));
    const handle = await campaigns.start();
    const hash = await campaigns.awaitApproval(handle);
    await campaigns.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    const result = (await handle.result()) as CampaignResult;
    expect(fake.calls('variant_set')).toHaveLength(2);
    const stored = (await campaigns.store.trail.read(handle.workflowId)).events;
    expect(stored.map((e) => e.hash)).toEqual(result.audit.map((e) => e.hash));
    await campaigns.close();
    await fake.close();
  });

  it('holds each event exactly once when the worker stops between a step and the next', async () => {
    const campaigns = await CampaignEnv.create();
    const first = await campaigns.startWorker();
    const handle = await campaigns.start();
    const hash = await campaigns.awaitApproval(handle);
    // The review's event is not in the store yet: it rides with the next activity, on another worker.
    expect((await campaigns.store.trail.read(handle.workflowId)).events.map((e) => e.step)).not.toContain('review');
    await campaigns.stopWorker(first);
    await campaigns.startWorker();
    await campaigns.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    const result = (await handle.result()) as CampaignResult;
    const stored = (await campaigns.store.trail.read(handle.workflowId)).events;
    expect(stored.map((e) => `${e.seq}:${e.hash}`)).toEqual(result.audit.map((e) => `${e.seq}:${e.hash}`));
    await campaigns.close();
  });

  it('audits, verifies and exports a campaign whose execution is deleted, without reaching Temporal at all', async () => {
    const { id } = await published();
    const { runId } = await env.client.workflow.getHandle(id).describe();
    // Deletion is asynchronous in Temporal; the audit below does not wait for it, and never asks Temporal anything.
    await env.client.workflowService.deleteWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: id, runId },
    });
    const offline = { ...asAuditor(), TEMPORAL_ADDRESS: '127.0.0.1:1' };

    const report = await runCli(['audit', id, '--format', 'json'], offline);
    expect(report.code).toBe(0);
    const data = JSON.parse(report.stdout);
    expect(data.verification.ok).toBe(true);
    expect(data.steps.map((s: { step: string }) => s.step)).toEqual([
      'start',
      'plan',
      'research',
      'brief',
      'variants',
      'review',
      'notice',
      'approval',
      'publish',
      'notice',
    ]);
    expect(data.decisions).toEqual([
      expect.objectContaining({ approver: 'jonas.weber', decision: 'approve', outcome: 'ok' }),
    ]);
    const verified = await runCli(['audit', 'verify', id], offline);
    expect(verified.stdout + verified.stderr).toMatch(/^campaign .*: VERIFIED/);
    expect(verified.code).toBe(0);
    // The report written to a file is what was checked, not evidence: verify says what to give it instead.
    const reportFile = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.json');
    expect((await runCli(['audit', id, '--format', 'json', '--out', reportFile], offline)).code).toBe(0);
    const misread = await runCli(['audit', 'verify', reportFile], offline);
    expect(misread).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `campaign: ${reportFile} is an audit report (\`campaign audit ${id}\`): it says what was checked, it is not evidence to check. ` +
        `Verify the campaign (\`npx campaign audit verify ${id}\`) or its evidence pack (\`npx campaign audit export ${id} --out DIR\`, then \`npx campaign audit verify DIR\`)\n`,
    });
    const markdown = await runCli(['audit', id], offline);
    expect(markdown.stdout).toContain('## Decisions (refused ones too)');

    const pack = mkdtempSync(join(tmpdir(), 'pack-offline-'));
    const exported = await runCli(['audit', 'export', id, '--out', pack], offline);
    expect(exported.stdout).toMatch(/\(no history of run [0-9a-f-]+ \(cannot reach Temporal at 127\.0\.0\.1:1/);
    const packVerified = await runCli(
      ['audit', 'verify', pack, '--trust', join(env.keyDir, 'worker-keys.yaml')],
      offline,
    );
    expect(packVerified.code).toBe(0);
    expect(packVerified.stdout).toMatch(/history: not compared: no history in the pack/);
  });
});

describe('evidence packs', () => {
  it('verify offline, and are rejected when any file is altered', async () => {
    const { id } = await published();
    const { paths } = loadSettings({});
    const stored = await env.store.trail.read(id);
    const dir = mkdtempSync(join(tmpdir(), 'pack-'));
    const files = writeEvidencePack(dir, {
      campaignId: id,
      events: stored.events,
      checkpoint: stored.checkpoint,
      trustedWorkerKeys: readTrustFile(join(env.keyDir, 'worker-keys.yaml')),
      history: await env.client.workflow.getHandle(id).fetchHistory(),
      receipts: { runId: stored.runId ?? '', receipts: await env.store.receipts.ofRun(id, stored.runId ?? '') },
      policyDir: paths.policyDir,
      promptDir: paths.promptDir,
      modelConfigFile: paths.modelConfigFile,
      roster: createFileDataStore(paths.dataDir, { keyringFile: join(env.keyDir, KEYRING_FILE) }).roster(),
      pkg: readPackage(env.outboxDir, id),
      publishedPaths: [packagePath(env.outboxDir, id)],
      tsaRoots: [],
      code: { buildId: 'test', revision: null },
    });
    const trust = {
      trust: { keys: readTrustFile(join(env.keyDir, 'worker-keys.yaml')), source: 'the test' },
      codec: null,
    };
    const checks = await verifyEvidencePack(dir, trust);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'manifest',
        'chain',
        'checkpoint',
        'seal',
        'signatures',
        'package',
        'policies',
        'prompts',
        'history',
        'receipts',
        'claims',
        'anchors',
        'summaries',
      ]),
    );

    for (const file of files.filter((f) => f !== 'manifest.json')) {
      // An edit as it lands on disk: caught by the manifest.
      const copy = copyOf(dir);
      writeFileSync(join(copy, file), `${readFileSync(join(copy, file), 'utf8')} `);
      expect(
        (await verifyEvidencePack(copy, trust)).some((c) => !c.ok),
        `${file} edited`,
      ).toBe(true);
    }
    // A careful forger rewrites the manifest too: the evidence itself must disagree.
    const forgeries: [string, (text: string) => string][] = [
      ['audit/trail.jsonl', (t) => t.replace('"jonas.weber"', '"sara.yilmaz"')],
      ['audit/checkpoint.json', (t) => t.replace(/"seq": \d+/, '"seq": 3')],
      ['policies/agent-tools.cedar', (t) => `${t}\n// softened\n`],
      ['prompts/copywriter.md', (t) => `${t}\nAlways say yes.\n`],
      ['roster.yaml', (t) => t.replace(/publicKey: [0-9a-f]{64}/, `publicKey: ${'0'.repeat(64)}`)],
      ['package.json', (t) => t.replace('"headline": "', '"headline": "Nur heute: ')],
      ['history.json', (t) => t.replace('writeVariants', 'writeVariantz')],
      ['approvals.json', (t) => t.replace('jonas.weber', 'miriam.koch')],
      ['hashes.json', (t) => t.replace(/"policySetHash": "[0-9a-f]/, '"policySetHash": "x')],
      ['code.json', (t) => t.replace('"recordedBuildIds": [', '"recordedBuildIds": ["forged",')],
      ['audit/receipts.json', (t) => t.replace(/"outputHash": "[0-9a-f]/, '"outputHash": "x')],
    ];
    for (const [file, forge] of forgeries) {
      const copy = copyOf(dir);
      writeFileSync(join(copy, file), forge(readFileSync(join(copy, file), 'utf8')));
      resealManifest(copy);
      const failed = (await verifyEvidencePack(copy, trust)).filter((c) => !c.ok);
      expect(failed.length, `${file} forged with a new manifest`).toBeGreaterThan(0);
    }
  });
});

describe('policy what-if', () => {
  it('lists exactly the calls of the campaigns that used a tool the proposed policies forbid', async () => {
    const a = await published();
    const rejectedHandle = await env.start();
    const hash = await env.awaitApproval(rejectedHandle);
    await env.decide(rejectedHandle, {
      decision: 'reject',
      approver: 'sara.yilmaz',
      contentHash: hash,
      reason: 'nicht jetzt',
    });
    await rejectedHandle.result();
    const proposed = mkdtempSync(join(tmpdir(), 'proposed-'));
    writeFileSync(
      join(proposed, 'agent-tools.cedar'),
      `${readFileSync(resolve(PROJECT_ROOT, 'policies/agent-tools.cedar'), 'utf8')}\n@id("freeze-publishing")\nforbid (principal, action == Action::"asset.publish", resource);\n`,
    );
    const trails = await Promise.all(
      [a.id, rejectedHandle.workflowId].map(async (campaignId) => ({
        campaignId,
        events: (await env.store.trail.read(campaignId)).events,
      })),
    );
    const result = policyWhatIf(trails, loadPolicyEngine(proposed));
    expect(result.changed.map((c) => `${c.campaignId}:${c.step}:${c.tool}`)).toEqual([`${a.id}:publish:asset.publish`]);
    expect(result.changed[0]?.reasons.join(' ')).toMatch(/forbidden by agent-tools#freeze-publishing/);
    expect(result.withoutContext).toBe(0);
    expect(GOOD_BRIEF.channels.length).toBeGreaterThan(0);
  });
});

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'pack-copy-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function resealManifest(dir: string): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
  for (const path of Object.keys(manifest.files)) {
    manifest.files[path] = createHash('sha256')
      .update(readFileSync(join(dir, path), 'utf8'))
      .digest('hex');
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
}

type Event = temporal.api.history.v1.IHistoryEvent;
const payloadOf = (data: unknown) => ({
  metadata: { encoding: new TextEncoder().encode('json/plain') },
  data: new TextEncoder().encode(JSON.stringify(data)),
});
const read = (bytes: Uint8Array | null | undefined) =>
  JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())) as Record<string, unknown>;

function tamperResult(history: History): History {
  const scheduled = new Map(
    (history.events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes
        ? [[String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name]]
        : [],
    ),
  );
  const done = (history.events ?? []).find(
    (e) => scheduled.get(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)) === 'writeVariants',
  ) as Event;
  const payloads = done.activityTaskCompletedEventAttributes?.result?.payloads ?? [];
  const result = read(payloads[0]?.data) as { output: { variants: { headline: string }[] } };
  (result.output.variants[0] as { headline: string }).headline = 'Jetzt 50 % billiger!';
  payloads[0] = payloadOf(result);
  return history;
}

function tamperApproval(history: History): History {
  const update = (history.events ?? []).find(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'decide',
  ) as Event;
  const args = update.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [];
  args[0] = payloadOf({ ...read(args[0]?.data), approver: 'sara.yilmaz' });
  return history;
}

function tamperBudget(history: History): History {
  const update = (history.events ?? []).find(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'budgetDecision',
  ) as Event;
  const args = update.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [];
  args[0] = payloadOf({ ...read(args[0]?.data), maxCostEur: 1000 });
  return history;
}

function insertDecision(history: History): History {
  const events = history.events ?? [];
  const index = events.findIndex(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'decide',
  );
  events.splice(index + 1, 0, fixture('campaign-high-risk-changes-v7.json').events?.[index] as Event);
  return history;
}

function removeReview(history: History): History {
  const events = history.events ?? [];
  const scheduled = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'reviewVariants',
  ) as Event;
  history.events = events.filter(
    (e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) !== String(scheduled.eventId),
  );
  return history;
}
