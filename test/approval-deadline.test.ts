import { readFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { decisionBinding, sealDecision } from '../client/decide';
import { startCampaign } from '../client/start';
import { ensureBinary, TEMPORAL_TEST_SERVER } from '../devserver/binaries';
import { registerSearchAttributes } from '../devserver/search-attributes';
import { createCampaignWorker } from '../worker/create-worker';
import type { campaignWorkflow } from '../workflows';
import { campaignStateQuery, decideUpdate } from '../workflows/messages';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';

// The time-skipping test server jumps over the 72-hour approval deadline instead of waiting for it.
let testEnv: TestWorkflowEnvironment;
let campaigns: CampaignEnv;
beforeAll(async () => {
  campaigns = await CampaignEnv.create();
  const path = ensureBinary(TEMPORAL_TEST_SERVER);
  testEnv = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  await registerSearchAttributes(testEnv.connection, testEnv.namespace ?? 'default');
});
afterAll(async () => {
  await testEnv?.teardown();
  await campaigns?.close();
});

it('rejects the campaign when the approval deadline passes without a decision, even after escalating', async () => {
  const worker = await createCampaignWorker({
    connection: testEnv.nativeConnection,
    namespace: testEnv.namespace ?? 'default',
    taskQueue: 'deadline',
    workflows: { workflowBundle: { codePath: inject('workflowBundlePath') } },
    deps: campaigns.deps(),
  });
  const outcome = await worker.runUntil(async () => {
    await startCampaign(testEnv.client, GOOD_BRIEF, 'lena.vogel', 'deadline-campaign', 'deadline', {
      keyDir: campaigns.keyDir,
    });
    const handle = testEnv.client.workflow.getHandle<typeof campaignWorkflow>('deadline-campaign');
    const started = Date.now();
    const result = await handle.result();
    return { result, wallMs: Date.now() - started, state: await handle.query(campaignStateQuery) };
  });
  expect(outcome.result.outcome).toMatchObject({ kind: 'rejected', rejectedBy: null });
  expect(outcome.result.outcome.kind === 'rejected' && outcome.result.outcome.reason).toMatch(
    /approval deadline .* passed/,
  );
  expect(outcome.state.stage).toBe('rejected');
  expect(outcome.result.audit.map((e) => e.action)).toContain('escalate');
  // 72 hours of workflow time passed in seconds of wall time.
  expect(outcome.wallMs).toBeLessThan(15_000);
});

it('escalates past the SLA: the backup joins, everyone who may decide is reminded, and the backup can approve', async () => {
  const worker = await createCampaignWorker({
    connection: testEnv.nativeConnection,
    namespace: testEnv.namespace ?? 'default',
    taskQueue: 'escalation',
    workflows: { workflowBundle: { codePath: inject('workflowBundlePath') } },
    deps: campaigns.deps(),
  });
  const outcome = await worker.runUntil(async () => {
    await startCampaign(testEnv.client, GOOD_BRIEF, 'lena.vogel', 'sla-campaign', 'escalation', {
      keyDir: campaigns.keyDir,
    });
    const handle = testEnv.client.workflow.getHandle<typeof campaignWorkflow>('sla-campaign');
    let state = await handle.query(campaignStateQuery);
    for (let i = 0; i < 100 && !state.pending; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await handle.query(campaignStateQuery);
    }
    expect(state.plan?.eligibleApprovers).not.toContain('katrin.schulz');
    // Before the SLA, the backup is refused like anyone outside the plan.
    const early = sealDecision(
      'sla-campaign',
      {
        decision: 'approve',
        approver: 'katrin.schulz',
        contentHash: state.pending?.contentHash ?? '',
        ...(await decisionBinding(testEnv.client, 'sla-campaign')),
      },
      { keyDir: campaigns.keyDir, signaturesRequired: true },
    );
    const refused = await handle.executeUpdate(decideUpdate, { args: [early] }).catch((err: Error) => err.cause);
    expect(String(refused)).toMatch(/katrin\.schulz ist im Plan dieser Kampagne nicht zur Freigabe vorgesehen/);
    await testEnv.sleep('25 hours');
    const escalated = await handle.query(campaignStateQuery);
    const approval = sealDecision(
      'sla-campaign',
      {
        decision: 'approve',
        approver: 'katrin.schulz',
        contentHash: state.pending?.contentHash ?? '',
        ...(await decisionBinding(testEnv.client, 'sla-campaign')),
      },
      // Signed at the test server's time, which the time skipping moved ahead.
      { keyDir: campaigns.keyDir, signaturesRequired: true, now: new Date(await testEnv.currentTimeMs()) },
    );
    await handle.executeUpdate(decideUpdate, { args: [approval] });
    return { escalated, result: await handle.result() };
  });
  expect(outcome.escalated.plan?.eligibleApprovers).toContain('katrin.schulz');
  expect(outcome.result.outcome).toMatchObject({ kind: 'published', approvedBy: ['katrin.schulz'] });
  const trail = outcome.result.audit;
  expect(trail.find((e) => e.action === 'escalate')).toMatchObject({
    step: 'escalation',
    detail: { round: 1, slaHours: 24, joined: ['katrin.schulz'] },
  });
  expect(trail.find((e) => e.step === 'escalation' && e.action === 'notify.send')).toMatchObject({ outcome: 'ok' });
  // The reminder names roster ids and the campaign, and nothing from the brief; the notices have a kind.
  const reminders = readFileSync(campaigns.notifyFile, 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line.includes('"sla-campaign"') && !line.includes('"kind"'));
  expect(reminders).toHaveLength(1);
  const reminder = JSON.parse(reminders[0] ?? '{}') as Record<string, unknown>;
  expect(reminder).toMatchObject({
    campaignId: 'sla-campaign',
    round: 1,
    joined: ['katrin.schulz'],
    approvers: ['jonas.weber', 'sara.yilmaz', 'miriam.koch', 'paul.richter', 'katrin.schulz'],
  });
  expect(reminders[0]).not.toContain(GOOD_BRIEF.campaign);
  expect(reminders[0]).not.toContain(GOOD_BRIEF.objective);
});
