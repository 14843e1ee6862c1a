import { existsSync, readFileSync } from 'node:fs';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackageFile } from '../audit/package';
import { verifyAuditChain } from '../domain/audit-verify';
import { CampaignStage } from '../domain/search-attributes';
import { auditTrailQuery, campaignStateQuery, decideSignal, decideUpdate } from '../workflows/messages';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';

let env: CampaignEnv;
beforeAll(async () => {
  env = await CampaignEnv.create();
  await env.startWorker();
});
afterAll(() => env?.close());

const approve = (approver: string, contentHash: string) => ({ decision: 'approve' as const, approver, contentHash });

describe('campaign workflow on a real dev server', () => {
  it('runs from brief to outbox once an approver from the plan approves', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    const receipt = await env.decide(handle, approve('jonas.weber', hash));
    expect(receipt).toMatchObject({ accepted: true, approvalsSoFar: 1, approvalsRequired: 1 });

    const result = await handle.result();
    expect(result.outcome).toMatchObject({ kind: 'published', contentHash: hash, approvedBy: ['jonas.weber'] });
    // Read back as the auditor reads it, so the package the publisher writes is the one the reader's schema describes.
    const pkg = readPackageFile(result.outcome.kind === 'published' ? result.outcome.outboxPath : '');
    expect(pkg?.approval.contentHash).toBe(hash);
    expect(pkg?.aiContent.marking).toMatch(/KI/);
    expect(verifyAuditChain(result.audit)).toEqual({
      kind: 'intact',
      head: result.auditHead,
      events: result.audit.length,
    });
    expect(result.audit.map((e) => e.step)).toEqual([
      'start',
      'plan',
      'research',
      'brief',
      'variants',
      'review',
      // Everyone who may decide is told the gate opened; the requester, that the campaign was published.
      'notice',
      'approval',
      'publish',
      'notice',
    ]);
    const notices = readFileSync(env.notifyFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((n) => n.campaignId === handle.workflowId);
    expect(notices).toEqual([
      {
        at: expect.any(String),
        kind: 'awaiting-decision',
        campaignId: handle.workflowId,
        // The sample brand's language, for the chat line a webhook shows.
        locale: 'de',
        url: expect.stringContaining(`/workflows/${handle.workflowId}`),
        to: ['jonas.weber', 'sara.yilmaz', 'miriam.koch', 'paul.richter'],
        round: 1,
        deadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      {
        at: expect.any(String),
        kind: 'published',
        campaignId: handle.workflowId,
        locale: 'de',
        url: expect.stringContaining(`/workflows/${handle.workflowId}`),
        to: ['lena.vogel'],
      },
    ]);
    expect(result.audit.filter((e) => e.step === 'notice').map((e) => e.policy?.policyIds)).toEqual([
      ['agent-tools#notifier-reminds'],
      ['agent-tools#notifier-reminds'],
    ]);
    expect(result.audit.find((e) => e.step === 'publish')?.policy?.policyIds).toEqual([
      'agent-tools#publisher-publishes-approved-content',
    ]);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(CampaignStage)).toBe('published');
    // Planning ran as a local activity, still behind the policy check.
    expect(result.audit.find((e) => e.step === 'plan')?.policy?.policyIds).toEqual([
      'agent-tools#orchestrator-reads-roster',
    ]);
  });

  it('keeps the history lean: planning as a local activity, each stage and the memo written only when they change', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    await env.decide(handle, approve('jonas.weber', hash));
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual([
      'researchFacts',
      'draftCreativeBrief',
      'writeVariants',
      'reviewVariants',
      // The approvers told that the gate opened (scheduled at once; the gate does not wait for it).
      'notifyPeople',
      // The approval, recorded by the worker side the moment the gate took it, on the server's clock.
      'recordDecision',
      'publishCampaign',
      // The requester told that it was published.
      'notifyPeople',
      // The recorder that hands the audit store the last events: scheduled, so its input is fixed in history.
      'recordAudit',
    ]);
    // One local activity: planning, which carries no events.
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(1);
    const stages = events.flatMap((e) => {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      const stage = fields?.CampaignStage?.data;
      return stage ? [JSON.parse(Buffer.from(stage).toString())] : [];
    });
    // 'planning' comes with the start request; the risk rides along with the first stage the workflow writes.
    expect(stages).toEqual([
      'researching',
      'briefing',
      'writing',
      'reviewing',
      'awaiting-approval',
      'publishing',
      'published',
    ]);
    expect(events.filter((e) => e.workflowPropertiesModifiedEventAttributes)).toHaveLength(1);
  });

  it('tells a client waiting for the gate at once when the campaign fails before it', async () => {
    const handle = await env.start({ ...GOOD_BRIEF, brand: 'no-such-brand' });
    const started = Date.now();
    await expect(env.awaitApproval(handle)).rejects.toThrow('campaign ended FAILED before the approval gate');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('ends rejected, with nothing in the outbox, when an approver rejects', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    await env.decide(handle, {
      decision: 'reject',
      approver: 'sara.yilmaz',
      contentHash: hash,
      reason: 'Zeitpunkt passt nicht',
    });
    const result = await handle.result();
    expect(result.outcome).toEqual({ kind: 'rejected', reason: 'Zeitpunkt passt nicht', rejectedBy: 'sara.yilmaz' });
    expect(existsSync(`${env.outboxDir}/${handle.workflowId}`)).toBe(false);
  });

  it('loops back to the copywriter with the feedback when changes are requested', async () => {
    const handle = await env.start();
    const first = await env.awaitApproval(handle, 1);
    await env.decide(handle, {
      decision: 'request-changes',
      approver: 'jonas.weber',
      contentHash: first,
      feedback: 'Bitte jede Überschrift anders formulieren',
    });
    const second = await env.awaitApproval(handle, 2);
    expect(second).not.toBe(first);
    // The first round's hash no longer binds: a stale approval is refused.
    await expect(env.decide(handle, approve('jonas.weber', first))).rejects.toThrow(WorkflowUpdateFailedError);
    await env.decide(handle, approve('jonas.weber', second));
    const result = await handle.result();
    expect(result.outcome.kind).toBe('published');
    expect(result.audit.filter((e) => e.step === 'variants')).toHaveLength(2);
  });

  it.each([
    [
      'the requester, though also an approver',
      'paul.richter',
      'paul.richter',
      /hat diese Kampagne beauftragt und darf nicht darüber entscheiden/,
    ],
    [
      'a person not in the plan (an auditor)',
      'lena.vogel',
      'tobias.brandt',
      /ist im Plan dieser Kampagne nicht zur Freigabe vorgesehen/,
    ],
    [
      'someone absent from the roster',
      'lena.vogel',
      'mallory',
      /ist im Plan dieser Kampagne nicht zur Freigabe vorgesehen/,
    ],
  ])('refuses approval by %s, and the campaign keeps waiting', async (_label, requester, approver, message) => {
    const handle = await env.start(GOOD_BRIEF, requester);
    const hash = await env.awaitApproval(handle);
    // Unsigned: these people have no key, and the rules refuse them before any signature is looked at.
    const refusal = await handle
      .executeUpdate(decideUpdate, { args: [approve(approver, hash)] })
      .catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause?.message).toMatch(message);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test done');
  });

  it('refuses a decision bound to other content than the one shown', async () => {
    const handle = await env.start();
    await env.awaitApproval(handle);
    const refusal = await refusalOf(env.decide(handle, approve('jonas.weber', 'f'.repeat(64))));
    expect(refusal).toBe(
      'contentHash passt nicht zum Inhalt, der auf Freigabe wartet (Runde 1); Current Details neu laden',
    );
    await handle.terminate('test done');
  });

  it('needs two distinct approvers, one of them a compliance officer, for a sensitive audience', async () => {
    const handle = await env.start({
      ...GOOD_BRIEF,
      audience: { segment: 'seniors-elbtal', purpose: 'email-marketing' },
    });
    const hash = await env.awaitApproval(handle);
    const first = await env.decide(handle, approve('jonas.weber', hash));
    expect(first).toMatchObject({ approvalsSoFar: 1, approvalsRequired: 2 });
    // The partial approval shows at once in the memo the inbox and `status` read.
    const memo = (await handle.describe()).memo as { pending?: { approvedBy: string[] } };
    expect(memo.pending?.approvedBy).toEqual(['jonas.weber']);
    await expect(env.decide(handle, approve('jonas.weber', hash))).rejects.toThrow(WorkflowUpdateFailedError);
    const notCompliance = await env
      .decide(handle, approve('sara.yilmaz', hash))
      .catch((e: WorkflowUpdateFailedError) => e);
    expect((notCompliance as WorkflowUpdateFailedError).cause?.message).toMatch(
      /eine der Freigaben muss kommen von: miriam.koch/,
    );
    await env.decide(handle, approve('miriam.koch', hash));
    const result = await handle.result();
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber', 'miriam.koch'] });
  });

  it('accepts the compliance officer first and any approver second', async () => {
    const handle = await env.start({
      ...GOOD_BRIEF,
      audience: { segment: 'seniors-elbtal', purpose: 'email-marketing' },
    });
    const hash = await env.awaitApproval(handle);
    // Each receipt says what the decision changed and what happens next.
    expect((await env.decide(handle, approve('miriam.koch', hash))).message).toBe(
      'Freigabe von miriam.koch erfasst (1 von 2). Es fehlt noch 1 Freigabe.',
    );
    expect((await env.decide(handle, approve('sara.yilmaz', hash))).message).toBe(
      'Freigegeben von sara.yilmaz (2 von 2). Die Kampagne wird jetzt veröffentlicht.',
    );
    expect((await handle.result()).outcome).toMatchObject({
      kind: 'published',
      approvedBy: ['miriam.koch', 'sara.yilmaz'],
    });
  });

  it("allows the plan's three change rounds, then refuses a fourth request and keeps waiting", async () => {
    const handle = await env.start();
    for (let round = 1; round <= 3; round++) {
      const hash = await env.awaitApproval(handle, round);
      const changes = {
        decision: 'request-changes' as const,
        approver: 'jonas.weber',
        contentHash: hash,
        feedback: `Runde ${round}`,
      };
      await env.decide(handle, changes);
    }
    const hash = await env.awaitApproval(handle, 4);
    const fourth = {
      decision: 'request-changes' as const,
      approver: 'sara.yilmaz',
      contentHash: hash,
      feedback: 'noch einmal',
    };
    expect(await refusalOf(env.decide(handle, fourth))).toBe(
      'alle 3 Änderungsrunden sind verbraucht; freigeben oder ablehnen',
    );
    await env.decide(handle, approve('sara.yilmaz', hash));
    expect((await handle.result()).outcome.kind).toBe('published');
  });

  it('takes decisions only by Update: a valid signed approval sent as a Signal decides nothing', async () => {
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    await handle.signal(decideSignal, await env.signed(handle, approve('miriam.koch', hash)));
    // The Signal is in history, but nothing handles it: the request still waits, with no approval.
    await expect
      .poll(async () => (await handle.fetchHistory()).events?.some((e) => e.workflowExecutionSignaledEventAttributes))
      .toBe(true);
    const { pending } = await handle.query(campaignStateQuery);
    expect(pending?.approvedBy).toEqual([]);
    await env.decide(handle, approve('miriam.koch', hash));
    const result = await handle.result();
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['miriam.koch'] });
    expect(result.audit.filter((e) => e.step === 'approval').map((e) => e.outcome)).toEqual(['ok']);
  });

  it('exposes the audit trail as a query while the campaign runs', async () => {
    const handle = await env.start();
    await env.awaitApproval(handle);
    const trail = await handle.query(auditTrailQuery);
    const steps = trail.map((e) => e.step);
    expect(steps.slice(0, 6)).toEqual(['start', 'plan', 'research', 'brief', 'variants', 'review']);
    // The notice that the gate opened goes out while the gate is open: its event may be in the trail already.
    expect(steps.slice(6).every((step) => step === 'notice')).toBe(true);
    expect(verifyAuditChain(trail).kind).toBe('intact');
    await handle.terminate('test done');
  });
});

/** The message of an Update's refusal; fails the test if the Update was accepted. */
async function refusalOf(update: Promise<unknown>): Promise<string | undefined> {
  const err = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message;
}
