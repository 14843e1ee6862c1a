import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderFor } from '../activities/folders';
import { sendDecision } from '../client/decide';
import { ClientError } from '../client/errors';
import { waitForApproval } from '../client/wait-for-approval';
import type { CampaignResult } from '../domain/campaign';
import type { Decision } from '../domain/decision';
import { hashOf } from '../domain/hash';
import { signDecision } from '../domain/signatures';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { decideSignal, decideUpdate } from '../workflows/messages';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { type RogueWorker, startRogueWorker } from './support/rogue-worker';
import type { RogueCall } from './support/rogue-workflows';

// The attacks of issue 8, each by someone inside the namespace: they can start workflows, send Updates and Signals,
// and run a worker of their own. Each must be refused (or made harmless) on the real server.
let env: CampaignEnv;
let rogue: RogueWorker;
const rogueQueue = `rogue-${Math.random().toString(36).slice(2, 8)}`;
const SENSITIVE = { ...GOOD_BRIEF, audience: { segment: 'seniors-elbtal', purpose: 'email-marketing' as const } };

beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorker();
  rogue = await startRogueWorker('test/support/rogue-workflows.ts', rogueQueue);
});
afterAll(async () => {
  await rogue?.stop();
  await env?.close();
});

/** Runs the attacker's workflow and returns the failure message of its activity, or its result. */
async function runRogue(
  call: Omit<RogueCall, 'taskQueue'>,
  workflowId = `rogue-${Math.random().toString(36).slice(2, 10)}`,
  workflowType = 'rogueWorkflow',
) {
  const handle = await env.client.workflow.start(workflowType, {
    taskQueue: rogueQueue,
    workflowId,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    args: [{ ...call, taskQueue: env.taskQueue }],
  });
  const outcome = await handle.result().then(
    (value): { published?: unknown; refused?: string } => ({ published: value }),
    (err: unknown) => ({ refused: innermost(err) }),
  );
  return { workflowId, ...outcome };
}

function innermost(err: unknown): string {
  let cause = err;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(err);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

const variantsOf = async (handle: Parameters<CampaignEnv['awaitApproval']>[0]) => {
  const { pending } = (await handle.query('campaignState' as never)) as { pending: { variants: unknown[] } };
  return pending.variants;
};

describe('publishing verifies, outside the workflow, everything it is told', () => {
  it("refuses an insider's own workflow that schedules publishCampaign under a fresh id: it is no campaign", async () => {
    // Copy nobody reviewed, with an "approval" whose hash matches it and a plan that asks for no approver at all.
    const variants = [
      { id: 'email-1', channel: 'email', headline: 'Nie geprüft', body: 'Ungeprüfte Werbung.', factIds: [] },
    ];
    const attack = await runRogue({
      activity: 'publishCampaign',
      input: {
        workflowId: 'whatever',
        brief: GOOD_BRIEF,
        requestedBy: 'lena.vogel',
        variants,
        approval: { contentHash: hashOf(variants), approvedBy: [], requiredApprovals: 0 },
        decisions: [],
        auditHead: '0'.repeat(64),
        provenance: { provider: 'offline', model: 'offline-v1', promptTemplateHash: '', usage: {} },
      },
    });
    expect(attack).not.toHaveProperty('published');
    // Its run never had a start our planner verified, so every governed call is refused before any tool runs. (A run
    // that is its campaign and still lies to the publisher: test/forged-evidence.test.ts.)
    expect(attack.refused).toMatch(
      /^run [0-9a-f-]+ is not campaign rogue-[a-z0-9]+: no run of the id had a verified start$/,
    );
    expect(existsSync(resolve(env.outboxDir, folderFor(attack.workflowId)))).toBe(false);
  });

  it('publishes a campaign id once: approved evidence replayed by a new run of the same id is refused', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    const variants = await variantsOf(handle);
    await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    const result = (await handle.result()) as CampaignResult;
    const outboxPath = result.outcome.kind === 'published' ? result.outcome.outboxPath : '';
    const published = JSON.parse(readFileSync(outboxPath, 'utf8'));
    const { runId } = await handle.describe();

    // The same id, closed now, taken by the attacker's workflow, named like a campaign and carrying the genuine signed
    // approval from the package: the evidence verifies, so only the one-publish rule stands in the way.
    const attack = await runRogue(
      {
        activity: 'publishCampaign',
        input: {
          workflowId: handle.workflowId,
          brief: GOOD_BRIEF,
          requestedBy: 'lena.vogel',
          variants,
          approval: published.approval,
          decisions: published.approvals,
          auditHead: '0'.repeat(64),
          provenance: published.aiContent.generatedBy,
        },
      },
      handle.workflowId,
      CAMPAIGN_WORKFLOW_TYPE,
    );
    expect(attack.refused).toMatch(
      new RegExp(`^run [0-9a-f-]+ is not campaign ${handle.workflowId}: the campaign is run ${runId}$`),
    );
    expect(JSON.parse(readFileSync(outboxPath, 'utf8'))).toEqual(published);
  });

  it('keeps ids from paths: the planner asked for brand ../../../etc refuses before touching a file', async () => {
    // The planner is the one activity a run may call before it is a campaign, so this is where a path would get in.
    const attack = await runRogue({
      activity: 'planCampaign',
      input: { brief: { ...GOOD_BRIEF, brand: '../../../etc' }, requestedBy: 'lena.vogel' },
    });
    expect(attack.refused).toBe('brief.brand: must be a brand id in kebab-case');
  });
});

describe('verified approvers', () => {
  it("refuses a requester who sends the two approvals of a sensitive campaign in approvers' names", async () => {
    const handle = await env.start(SENSITIVE);
    const hash = await env.awaitApproval(handle);
    const asJonas: Decision = {
      decision: 'approve',
      approver: 'jonas.weber',
      contentHash: hash,
      decidedAt: new Date().toISOString(),
    };
    // Unsigned, as before signatures existed: refused.
    expect(await refusal(handle.executeUpdate(decideUpdate, { args: [asJonas] }))).toMatch(
      /^decision\.signature: required for this campaign/,
    );
    // Signed with the requester's own key: refused, the key is not the approver's.
    const lenasKey = readFileSync(resolve(env.keyDir, 'private/lena.vogel.key'), 'utf8').trim();
    expect(
      await refusal(handle.executeUpdate(decideUpdate, { args: [signDecision(handle.workflowId, asJonas, lenasKey)] })),
    ).toMatch(/^decision\.signature: made with key ed25519:[0-9a-f]{16}, not jonas\.weber's key/);
    // A raw Signal as the compliance officer: a campaign started today has no Signal handler, so it decides nothing.
    await handle.signal(decideSignal, { ...asJonas, approver: 'miriam.koch' });
    await handle.query('auditTrail' as never); // a workflow task ran after the Signal
    const { pending } = (await handle.query('campaignState' as never)) as { pending: { approvedBy: string[] } };
    expect(pending.approvedBy).toEqual([]);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test done');
  });

  it('accepts a valid signature, and refuses a forged, an other-campaign, a stale and a replayed one', async () => {
    const first = await env.start(SENSITIVE);
    const second = await env.start(SENSITIVE);
    const hash = await env.awaitApproval(first);
    // The offline model writes the same copy for the same brief: the two campaigns share the content hash.
    expect(await env.awaitApproval(second)).toBe(hash);
    const genuine = await env.signed(first, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });

    expect(await refusal(second.executeUpdate(decideUpdate, { args: [genuine] }))).toMatch(
      /does not verify for jonas\.weber on this campaign \(altered, or made for another\)/,
    );
    const forged = { ...genuine, signature: { keyId: genuine.signature?.keyId ?? '', value: 'ab'.repeat(64) } };
    expect(await refusal(first.executeUpdate(decideUpdate, { args: [forged] }))).toMatch(/does not verify/);
    const altered = { ...genuine, comment: 'nachträglich geändert' };
    expect(await refusal(first.executeUpdate(decideUpdate, { args: [altered] }))).toMatch(/does not verify/);
    const stale = await env.signed(first, { decision: 'approve', approver: 'sara.yilmaz', contentHash: hash });
    const sixMinutesAgo = signDecision(
      first.workflowId,
      { ...stale, signature: undefined, decidedAt: new Date(Date.now() - 6 * 60_000).toISOString() } as Decision,
      readFileSync(resolve(env.keyDir, 'private/sara.yilmaz.key'), 'utf8').trim(),
    );
    expect(await refusal(first.executeUpdate(decideUpdate, { args: [sixMinutesAgo] }))).toMatch(
      /arrived more than 5 minutes later; it did not take effect/,
    );

    expect(await first.executeUpdate(decideUpdate, { args: [genuine] })).toMatchObject({ approvalsSoFar: 1 });
    expect(await refusal(first.executeUpdate(decideUpdate, { args: [genuine] }))).toMatch(
      /bereits freigegeben|already used/,
    );
    await env.decide(first, { decision: 'approve', approver: 'miriam.koch', contentHash: hash });
    const result = (await first.result()) as CampaignResult;
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber', 'miriam.koch'] });
    const approvals = result.audit.filter((e) => e.step === 'approval');
    expect(approvals.map((e) => e.actor.establishedBy)).toEqual([
      expect.stringMatching(/^Ed25519 signature by key ed25519:/),
      expect.stringMatching(/^Ed25519 signature by key ed25519:/),
    ]);
    await second.terminate('test done');
  });

  it('refuses decisions with unknown fields or a blank reason', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    const extra = {
      ...(await env.signed(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash })),
      role: 'admin',
    };
    expect(await refusal(handle.executeUpdate(decideUpdate, { args: [extra as Decision] }))).toMatch(
      /unknown|unrecognized/i,
    );
    const blank = { decision: 'reject' as const, approver: 'jonas.weber', contentHash: hash, reason: '    ' };
    expect(await refusal(handle.executeUpdate(decideUpdate, { args: [blank] }))).toMatch(
      /^decision\.reason: reason must say something/,
    );
    await handle.terminate('test done');
  });

  it('sends nothing when no worker polls the campaign, so nothing the approver saw fail takes effect later', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    const decision = await env.signed(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });
    const err = await sendDecision(env.client, handle.workflowId, 'nobody-polls-here', decision).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).message).toMatch(
      /^no worker is polling task queue 'nobody-polls-here'.*the decision was not sent/,
    );
    const memo = (await handle.describe()).memo as { pending?: { approvedBy: string[] } };
    expect(memo.pending?.approvedBy).toEqual([]);
    await handle.terminate('test done');
  });
});

describe('the workflow trusts no input', () => {
  it.each([
    [
      'a language without an AI marking',
      { brief: { ...GOOD_BRIEF, language: 'fr' }, requestedBy: 'lena.vogel' },
      'input.brief.language: Invalid option',
    ],
    [
      'a brand that walks out of the data folder',
      { brief: { ...GOOD_BRIEF, brand: '../../../etc' }, requestedBy: 'lena.vogel' },
      'input.brief.brand: must be a brand id in kebab-case',
    ],
    [
      'a deadline of 10^15 hours',
      { brief: { ...GOOD_BRIEF, approvalDeadlineHours: 1e15 }, requestedBy: 'lena.vogel' },
      'input.brief.approvalDeadlineHours: Too big',
    ],
    ['no brief at all', { requestedBy: 'lena.vogel' }, 'input.brief: is required'],
    [
      'a channel nobody writes for',
      { brief: { ...GOOD_BRIEF, channels: ['tiktok'] }, requestedBy: 'lena.vogel' },
      'input.brief.channels[0]: Invalid option',
    ],
    [
      'a field nobody asked for',
      { brief: GOOD_BRIEF, requestedBy: 'lena.vogel', approvedBy: 'miriam.koch' },
      'input: unknown field "approvedBy"',
    ],
    [
      'control characters in the name',
      { brief: { ...GOOD_BRIEF, campaign: 'Herbst \u001b[2J' }, requestedBy: 'lena.vogel' },
      'input.brief.campaign: must not contain control characters',
    ],
  ])('fails at once, for good, on %s', async (_label, input, message) => {
    const workflowId = `raw-${Math.random().toString(36).slice(2, 10)}`;
    const handle = await env.client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
      taskQueue: env.taskQueue,
      workflowId,
      args: [input],
    });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(innermost(err)).toContain(`invalid campaign input: ${message}`);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes || e.markerRecordedEventAttributes)).toEqual([]);
    expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  });

  it('flags markup a brief smuggles into the copy, so it can be neither approved nor published', async () => {
    const handle = await env.start({
      ...GOOD_BRIEF,
      keyMessages: ['<img src=x onerror=alert(document.domain)> 12 Monate Preisgarantie', ...GOOD_BRIEF.keyMessages],
    });
    // The reviewer sends the copy back once; what reaches the gate still carries the markup, or leaves out the key
    // message that holds it, and either is a blocking finding.
    const pending = await waitForApproval(handle);
    const blocking = pending.findings.filter((f) => f.blocking).map((f) => f.kind);
    expect(blocking.some((kind) => kind === 'markup' || kind === 'key-message')).toBe(true);
    const approve = { decision: 'approve' as const, approver: 'jonas.weber', contentHash: pending.contentHash };
    expect(await refusal(env.decide(handle, approve))).toMatch(/blockierenden? Prüfbefund/);
    await handle.terminate('test done');
  });
});
