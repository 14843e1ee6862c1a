import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import {
  WorkflowFailedError,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities';
import { folderFor } from '../activities/folders';
import { startCampaign } from '../client/start';
import { waitForApproval } from '../client/wait-for-approval';
import { HISTORY_LIMITS } from '../devserver/history-limits';
import type { AuditEvent } from '../domain/audit';
import { GENESIS_HASH } from '../domain/audit-verify';
import type { CampaignResult } from '../domain/campaign';
import type { Decision } from '../domain/decision';
import { hashOf } from '../domain/hash';
import type { Receipt } from '../domain/receipt';
import { signDecision } from '../domain/signatures';
import { signStart } from '../domain/start-request';
import { roleQueue } from '../domain/task-queue';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { loadSecretKey } from '../keys/signing-keys';
import { governanceStore } from '../store/governance-store';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { callUpdate, doneSignal, type PuppetOutcome } from './support/rogue-campaign';
import { type RogueWorker, startRogueWorker } from './support/rogue-worker';
import { runCli } from './support/run-cli';
import { ownerUrlOf } from './support/test-database';

// Issue 17's attacks, each by an insider with a worker of their own, the CLI and the keys on a worker's disk. Their
// workflow runs under the campaign's own type name and schedules our activities with inputs of its choosing. Each
// test shows the attack reaching the check that now stops it, by that check's message.
let env: CampaignEnv;
let rogue: RogueWorker;
const rogueQueue = `rogue-campaign-${Math.random().toString(36).slice(2, 8)}`;
const HIGH_RISK = { ...GOOD_BRIEF, audience: { segment: 'seniors-elbtal', purpose: 'email-marketing' as const } };

beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorker();
  rogue = await startRogueWorker('test/support/rogue-campaign.ts', rogueQueue);
});
afterAll(async () => {
  await rogue?.stop();
  await env?.close();
});

/** The insider's workflow under `workflowId`, named like a campaign. */
async function puppet(
  workflowId: string,
  how: { reuse?: 'ALLOW_DUPLICATE'; conflict?: 'TERMINATE_EXISTING' } = {},
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  return env.client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
    taskQueue: rogueQueue,
    workflowId,
    ...(how.reuse ? { workflowIdReusePolicy: how.reuse } : {}),
    ...(how.conflict ? { workflowIdConflictPolicy: how.conflict } : {}),
  });
}

/** Has the insider's workflow schedule `activity` on one of our role queues. */
async function call(
  handle: WorkflowHandle,
  activity: string,
  input: unknown,
  role: 'data' | 'publish' | 'models' = 'data',
): Promise<PuppetOutcome> {
  return handle.executeUpdate(callUpdate, {
    args: [{ taskQueue: roleQueue(env.taskQueue, role), activity, input }],
  });
}

const refusalOf = (outcome: PuppetOutcome) => ('refused' in outcome ? outcome.refused : 'not refused');
const secretOf = (person: string) => loadSecretKey(env.keyDir, person) ?? '';
const outboxHas = (id: string) => existsSync(join(env.outboxDir, folderFor(id), 'package.json'));
const cliAs = () => ({ ...env.cliEnv(), TEMPORAL_ADDRESS: inject('temporalAddress'), CAMPAIGN_CODEC_KEY_FILE: 'none' });

/** What the insider harvests from a real campaign's history: the variants and the signed decisions it took. */
async function harvest(handle: WorkflowHandle) {
  const { pending } = (await handle.query('campaignState' as never)) as { pending: { variants: unknown[] } };
  return { variants: pending.variants };
}

/** A publish input as the campaign would send it, for content and decisions of the insider's choosing. */
function publishInput(brief: typeof GOOD_BRIEF, requestedBy: string, variants: unknown[], decisions: Decision[]) {
  return {
    workflowId: 'ignored',
    brief,
    requestedBy,
    variants,
    approval: { contentHash: hashOf(variants), approvedBy: decisions.map((d) => d.approver), requiredApprovals: 1 },
    decisions,
    auditHead: GENESIS_HASH,
    provenance: { provider: 'offline', model: 'offline-v1', promptTemplateHash: '', usage: {} },
  };
}

/** The insider's run publishes harvested copy and approvals at standard risk: refused, as not the campaign's run. */
async function expectHarvestRefused(
  attack: WorkflowHandleWithFirstExecutionRunId,
  campaignId: string,
  campaignRun: string,
  variants: unknown[],
  decisions: Decision[],
): Promise<void> {
  const input = publishInput(GOOD_BRIEF, 'lena.vogel', variants, decisions);
  expect(refusalOf(await call(attack, 'publishCampaign', input, 'publish'))).toBe(
    `run ${attack.firstExecutionRunId} is not campaign ${campaignId}: the campaign is run ${campaignRun}`,
  );
  await attack.signal(doneSignal);
}

/** Seals `events` into a chain from the genesis hash, as a forger recomputing every hash would. */
function reseal(events: Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>[]): AuditEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((fields, i) => {
    const unsealed = { ...fields, seq: i + 1, prevHash };
    const hash = hashOf(unsealed);
    prevHash = hash;
    return { ...unsealed, hash } as AuditEvent;
  });
}

describe('a run under a campaign id is not the campaign', () => {
  it('refuses to republish a campaign the compliance officer rejected, from a run started under its id', async () => {
    const handle = await env.start(HIGH_RISK);
    const hash = await env.awaitApproval(handle);
    const { variants } = await harvest(handle);
    const jonas = await env.signed(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    await handle.executeUpdate('decide', { args: [jonas] });
    await env.decide(handle, { decision: 'reject', approver: 'miriam.koch', contentHash: hash, reason: 'nein' });
    expect(((await handle.result()) as CampaignResult).outcome.kind).toBe('rejected');
    const { runId: campaignRun } = await handle.describe();

    // The insider's run under the closed id, with lena's genuine signed start from the campaign's history, then
    // the same brief at standard risk and jonas's genuine approval.
    const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
    const { start } = defaultPayloadConverter.fromPayload(started?.input?.payloads?.[0] ?? {}) as { start: unknown };
    const attack = await puppet(handle.workflowId, { reuse: 'ALLOW_DUPLICATE' });
    const replan = await call(attack, 'planCampaign', { brief: HIGH_RISK, requestedBy: 'lena.vogel', start });
    expect(refusalOf(replan)).toMatch(
      new RegExp(`^campaign ${handle.workflowId} is run ${campaignRun}; run [0-9a-f-]+ is another campaign`),
    );
    await expectHarvestRefused(attack, handle.workflowId, campaignRun, variants, [jonas]);
    await attack.result();
    expect(outboxHas(handle.workflowId)).toBe(false);
    // The id's latest run is the insider's; status and replay read the campaign's own.
    const status = await runCli(['status', handle.workflowId, '--json'], cliAs());
    expect(JSON.parse(status.stdout)).toMatchObject({ stage: 'rejected', outcome: { kind: 'rejected' } });
    const replayed = await runCli(['replay', handle.workflowId], cliAs());
    expect(replayed.stderr).toMatch(/; deterministic; consistent with the audit store; seal no package\n/);
  });

  it('keeps the decisions of a campaign terminated at the gate, and refuses the run that terminated it', async () => {
    const handle = await env.start(HIGH_RISK);
    const hash = await env.awaitApproval(handle);
    const { variants } = await harvest(handle);
    const jonas = await env.signed(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    expect(await handle.executeUpdate('decide', { args: [jonas] })).toMatchObject({ approvalsSoFar: 1 });
    const { runId: campaignRun } = await handle.describe();

    // 1 of 2 approvals; the insider ends the real run by starting theirs with TERMINATE_EXISTING.
    const attack = await puppet(handle.workflowId, { conflict: 'TERMINATE_EXISTING' });
    expect((await env.client.workflow.getHandle(handle.workflowId, campaignRun).describe()).status.name).toBe(
      'TERMINATED',
    );
    await expectHarvestRefused(attack, handle.workflowId, campaignRun, variants, [jonas]);
    expect(outboxHas(handle.workflowId)).toBe(false);
    // The approval was recorded by the worker side the moment the gate took it: the terminated campaign keeps it.
    const kept = await env.store.decisions.ofRun(handle.workflowId, campaignRun, 'approval');
    expect(kept.map((d) => [d.decision.approver, d.decision.signature?.value])).toEqual([
      ['jonas.weber', jonas.signature?.value],
    ]);
  });

  it('does not let a run that never had a verified start keep an id from its campaign', async () => {
    const id = `squatted-${Math.random().toString(36).slice(2, 8)}`;
    const squatter = await puppet(id);
    // No signed start: the planner refuses, so the run is bound to nothing, and the store takes nothing from it.
    expect(refusalOf(await call(squatter, 'planCampaign', { brief: GOOD_BRIEF, requestedBy: 'lena.vogel' }))).toMatch(
      /^the start of squatted-[a-z0-9]+ is not signed by lena\.vogel/,
    );
    const fake = reseal([
      {
        at: new Date().toISOString(),
        workflowId: id,
        runId: squatter.firstExecutionRunId,
        step: 'start',
        actor: { kind: 'person', id: 'lena.vogel', establishedBy: 'start request' },
        action: 'request',
        outcome: 'ok',
      },
    ]);
    expect(refusalOf(await call(squatter, 'recordAudit', { events: fake }))).toBe(
      `run ${squatter.firstExecutionRunId} is not campaign ${id}: no run of the id had a verified start`,
    );
    await squatter.signal(doneSignal);
    await squatter.result();

    // The real campaign, started later under the id, runs and publishes.
    await startCampaign(env.client, GOOD_BRIEF, 'lena.vogel', id, env.taskQueue, { keyDir: env.keyDir });
    const handle = env.client.workflow.getHandle(id);
    const hash = await env.awaitApproval(handle);
    await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    expect(((await handle.result()) as CampaignResult).outcome.kind).toBe('published');
    const trail = await env.store.trail.read(id);
    expect(trail.runId).toBe((await handle.describe()).runId);
    expect(trail.events[0]?.step).toBe('start');
    // The auditor's tools read the campaign's own run, not the squatter's.
    const verified = await runCli(['audit', 'verify', id], cliAs());
    expect(verified.stdout).toMatch(/^campaign .*: VERIFIED\n/);
  });
});

describe('the publisher proves from receipts, not from its input', () => {
  it("refuses one approver's made-up copy with a fabricated trail, and the auditor sees the trail's claims unproven", async () => {
    const id = `made-up-${Math.random().toString(36).slice(2, 8)}`;
    const attack = await puppet(id);
    const runId = attack.firstExecutionRunId;
    // paul.richter may request and approve. Naming lena.vogel as requester needs her key: refused.
    const asLena = signStart(id, hashOf(GOOD_BRIEF), 'paul.richter', secretOf('paul.richter'));
    expect(
      refusalOf(await call(attack, 'planCampaign', { brief: GOOD_BRIEF, requestedBy: 'lena.vogel', start: asLena })),
    ).toMatch(/^the start of made-up-[a-z0-9]+ is signed with key ed25519:[0-9a-f]{16}, not lena\.vogel's$/);
    // As himself, the start verifies and the run is bound: from here on, only receipts count.
    const asPaul = signStart(id, hashOf(GOOD_BRIEF), 'paul.richter', secretOf('paul.richter'));
    const planned = await call(attack, 'planCampaign', {
      brief: GOOD_BRIEF,
      requestedBy: 'paul.richter',
      start: asPaul,
    });
    expect(planned).toHaveProperty('value');
    const plan = (planned as { value: { output: Record<string, unknown> } }).value.output;

    // Eight made-up events handed to the recorder, and copy nobody wrote or reviewed.
    const variants = [
      { id: 'email-1', channel: 'email', headline: 'UNGEPRUEFT: 50% billiger', body: 'Nur heute.', factIds: [] },
    ];
    const contentHash = hashOf(variants);
    const claim = (step: string, action: string, extra: Partial<AuditEvent> = {}) => ({
      at: new Date().toISOString(),
      workflowId: id,
      runId,
      step,
      actor: { kind: 'agent' as const, id: step, establishedBy: 'workflow' },
      action,
      outcome: 'ok' as const,
      ...extra,
    });
    const fabricated = reseal([
      claim('start', 'request', { actor: { kind: 'person', id: 'paul.richter', establishedBy: 'start request' } }),
      claim('plan', 'plan', { outputHash: hashOf(plan) }),
      claim('research', 'research', { outputHash: hashOf({ facts: [] }) }),
      claim('brief', 'brief', { outputHash: hashOf({ brief: 'made up' }) }),
      claim('variants', 'write', { outputHash: hashOf({ variants }) }),
      claim('review', 'review', { outputHash: hashOf({ contentHash, blocking: false }) }),
      claim('approval', 'approve', { detail: { contentHash } }),
      claim('publish', 'publish', { outputHash: hashOf({ outboxPath: 'x' }) }),
    ]);
    expect(await call(attack, 'recordAudit', { events: fabricated })).toEqual({
      value: expect.objectContaining({ output: { recorded: 8 } }),
    });
    // A genuine signature of paul's, for this run and plan: the recorder takes it (it is well made).
    const approval = signDecision(
      id,
      {
        decision: 'approve',
        approver: 'paul.richter',
        contentHash,
        decidedAt: new Date().toISOString(),
        runId,
        planHash: hashOf(plan),
      },
      secretOf('paul.richter'),
    );
    expect(await call(attack, 'recordDecision', { kind: 'approval', decision: approval })).toHaveProperty('value');
    const evidence = {
      plan,
      research: { facts: [] },
      creativeBrief: { brief: 'made up' },
      written: { variants, basedOn: { creativeBrief: hashOf({ brief: 'made up' }), research: hashOf({ facts: [] }) } },
      review: { contentHash, blocking: false, findings: [] },
    };
    const publish = await call(
      attack,
      'publishCampaign',
      { ...publishInput(GOOD_BRIEF, 'paul.richter', variants, [approval]), evidence },
      'publish',
    );
    expect(refusalOf(publish)).toMatch(/^publisher may not call asset\.publish: /);
    expect(refusalOf(publish)).toContain('no receipt of research for this brief');
    expect(refusalOf(publish)).toContain('no receipt of the copywriter writing these variants from that brief');
    expect(refusalOf(publish)).toContain('paul.richter requested the campaign');
    await attack.signal(doneSignal);
    expect(outboxHas(id)).toBe(false);

    // The trail our worker checkpointed holds the made-up claims; the receipts show none of them happened.
    const verified = await runCli(['audit', 'verify', id, '--json'], cliAs());
    const report = JSON.parse(verified.stdout || `{"stderr": ${JSON.stringify(verified.stderr)}}`) as {
      ok: boolean;
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(report).toMatchObject({ ok: false });
    expect(report.checks.find((c) => c.name === 'checkpoint')?.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'claims')).toMatchObject({
      ok: false,
      detail: 'event 3 (research) claims an output of researchFacts that no receipt of this run shows',
    });
  });

  it('publishes nothing a worker of its own on the models queue made up, even once approved', async () => {
    // Our worker takes every role but the models; the insider's worker answers the model steps with our own code,
    // unsigned, and swaps the copy before the review calls it clean.
    const local = await CampaignEnv.create();
    const ours = await local.startWorker(local.deps(), { roles: ['workflows', 'publish', 'data'] });
    const real = createActivities(local.deps());
    // What our interceptor would return, less the receipt: a policy record is easy to make up.
    const envelope = (output: unknown) => ({
      output,
      policy: { agent: 'copywriter', tools: [], decision: 'allow', policyIds: [], policySetHash: GENESIS_HASH },
    });
    // It even keeps the trail going, with the database login a worker has: the audit events that ride along.
    const opened = async (arg: unknown) => {
      const { input, audit } = arg as { input: unknown; audit: AuditEvent[] };
      const run = Context.current().info.workflowExecution;
      if (audit.length > 0) await local.store.trail.append(run?.workflowId ?? '', run?.runId ?? '', audit);
      return input;
    };
    const swapped = 'UNGEPRUEFT: 50% billiger, nur heute';
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const impostor = await Worker.create({
      connection,
      taskQueue: roleQueue(local.taskQueue, 'models'),
      activities: {
        researchFacts: async (arg: unknown) => envelope(await real.researchFacts((await opened(arg)) as never)),
        draftCreativeBrief: async (arg: unknown) =>
          envelope(await real.draftCreativeBrief((await opened(arg)) as never)),
        writeVariants: async (arg: unknown) => {
          const written = await real.writeVariants((await opened(arg)) as never);
          return envelope({ ...written, variants: written.variants.map((v) => ({ ...v, headline: swapped })) });
        },
        reviewVariants: async (arg: unknown) => {
          const { variants } = (await opened(arg)) as { variants: unknown[] };
          return envelope({
            findings: [],
            claims: { total: 0, grounded: 0 },
            contentHash: hashOf(variants),
            blocking: false,
          });
        },
      },
    });
    const running = impostor.run();
    try {
      const handle = await local.start();
      const pending = await waitForApproval(handle);
      expect(JSON.stringify(pending.variants)).toContain(swapped);
      await local.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: pending.contentHash });
      const failure = await handle.result().catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      let cause: unknown = failure;
      while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
      expect((cause as Error).message).toMatch(
        /^publisher may not call asset\.publish: .*no receipt of research for this brief/,
      );
      expect(existsSync(join(local.outboxDir, folderFor(handle.workflowId), 'package.json'))).toBe(false);
    } finally {
      impostor.shutdown();
      await running;
      await connection.close();
      await local.stopWorker(ours);
      await local.close();
    }
  });
});

describe('anchors out of the writer’s reach', () => {
  it("fails a trail rewritten and re-signed with the worker's own key, its receipts and seal moved with it", async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    expect(((await handle.result()) as CampaignResult).outcome.kind).toBe('published');
    const id = handle.workflowId;
    const { runId } = await handle.describe();
    expect((await runCli(['audit', 'verify', id], cliAs())).stdout).toMatch(/: VERIFIED\n/);

    // The insider holds the owner's database login and the worker key from the worker's disk. They claim the research
    // found other facts: the research event and its receipt get another output, every hash after is recomputed,
    // the checkpoint and every receipt re-signed with the worker's key, and the outbox seal moved to the new heads.
    const workerKey = readFileSync(
      CampaignEnv.databaseSettings(env.databaseUrl, env.keyDir).workerKeyFile,
      'utf8',
    ).trim();
    const owner = new pg.Pool({ connectionString: await ownerUrlOf(env.databaseUrl) });
    const forged = 'f'.repeat(64);
    try {
      const store = governanceStore(owner, workerKey);
      const events = (await store.trail.read(id, runId)).events;
      const receipts = await store.receipts.ofRun(id, runId);
      await owner.query('DELETE FROM governance.audit_events WHERE campaign_id = $1 AND run_id = $2', [id, runId]);
      await owner.query('DELETE FROM governance.checkpoints WHERE campaign_id = $1 AND run_id = $2', [id, runId]);
      await owner.query('DELETE FROM governance.receipts WHERE campaign_id = $1 AND run_id = $2', [id, runId]);
      const rewritten = reseal(
        events.map(({ seq: _s, prevHash: _p, hash: _h, ...e }) =>
          e.step === 'research' ? { ...e, outputHash: forged } : e,
        ),
      );
      await store.trail.append(id, runId, rewritten);
      let head: Receipt | undefined;
      for (const r of receipts) {
        const { seq: _s, prevHash: _p, hash: _h, signature: _g, at: _a, worker, ...fields } = r;
        head = await store.receipts.record({
          ...fields,
          outputHash: r.activityType === 'researchFacts' ? forged : r.outputHash,
          worker: { identity: worker.identity, buildId: worker.buildId },
        });
      }
      const packageFile = join(env.outboxDir, folderFor(id), 'package.json');
      const pkg = JSON.parse(readFileSync(packageFile, 'utf8'));
      const sealedAt = events.findIndex((e) => e.hash === pkg.seal.auditHead);
      const publishReceipt = receipts.findIndex((r) => r.activityType === 'publishCampaign');
      pkg.seal.auditHead = rewritten[sealedAt]?.hash;
      pkg.seal.receipts = {
        seq: publishReceipt,
        hash: (await store.receipts.ofRun(id, runId))[publishReceipt - 1]?.hash,
      };
      writeFileSync(packageFile, `${JSON.stringify(pkg, null, 2)}\n`);
      expect(head?.signature).toBeDefined();
    } finally {
      await owner.end();
    }
    const verified = await runCli(['audit', 'verify', id, '--json'], cliAs());
    const report = JSON.parse(verified.stdout) as {
      ok: boolean;
      checks: { name: string; ok: boolean; detail: string }[];
    };
    // Everything the writer can reach verifies again; only what Temporal recorded disagrees: the receipts it names, the
    // steps' results, and the hash of the package the publisher wrote (the seal in it was moved).
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['published', 'anchors', 'history']);
    expect(report.checks.find((c) => c.name === 'anchors')?.detail).toMatch(
      /^history event \d+ \(\w+\) names receipt 1 [0-9a-f]{12}…, which the store does not hold$/,
    );
    expect(verified.code).toBe(1);
  });
});

describe('what a Signal can do', () => {
  it('bounds a flood of Signals from anyone: the server refuses what would grow the history past its limit', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    const big = 'x'.repeat(HISTORY_LIMITS['limit.blobSize.error'] + 1);
    await expect(handle.signal('decide', { approver: 'tobias.brandt', note: big })).rejects.toThrow();
    const sizable = 'x'.repeat(400 * 1024);
    let accepted = 0;
    let refused: unknown = null;
    for (let i = 0; i <= HISTORY_LIMITS['history.maximumSignalsPerExecution']; i++) {
      try {
        await handle.signal('decide', { approver: 'tobias.brandt', note: sizable });
        accepted += 1;
      } catch (err) {
        refused = err;
        break;
      }
    }
    expect(accepted).toBe(HISTORY_LIMITS['history.maximumSignalsPerExecution']);
    expect(refused).not.toBeNull();
    // Nothing the Signals carried decided anything; the campaign runs on, and its approver publishes it.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    expect(((await handle.result()) as CampaignResult).outcome.kind).toBe('published');
  });
});

describe('one trust root in production', () => {
  it('reads the keyring beside the roster only in the demo', async () => {
    // The example roster names no public keys; this env's keyring has one for everyone.
    const demo = env.deps().data.roster();
    expect(demo.people.find((p) => p.id === 'katrin.schulz')?.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const { loadSettings } = await import('../config/settings');
    const { productionDeps } = await import('../worker/create-worker');
    // A production worker: a database of its own, no demo setting.
    const base = loadSettings({ CAMPAIGN_DATABASE_URL: env.databaseUrl });
    const production = productionDeps({ ...base, paths: { ...base.paths, keyDir: env.keyDir } }, env.store);
    expect(base.demo).toBe(false);
    expect(production.data.roster().people.filter((p) => p.publicKey)).toEqual([]);
    // So a campaign of a brand that requires signatures cannot even be planned on such a worker.
    const { planCampaign } = createActivities(production);
    await expect(
      new MockActivityEnvironment().run(planCampaign, { brief: GOOD_BRIEF, requestedBy: 'lena.vogel' }),
    ).rejects.toThrow(/too few of its approvers have a signing key or a login in the roster/);
  });
});
