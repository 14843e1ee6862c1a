import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startCampaign } from '../client/start';
import { ensureBinary, TEMPORAL_TEST_SERVER } from '../devserver/binaries';
import { registerSearchAttributes } from '../devserver/search-attributes';
import { createCampaignWorker } from '../worker/create-worker';
import type { campaignWorkflow } from '../workflows';
import { campaignStateQuery } from '../workflows/messages';
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

it('rejects the campaign when the approval deadline passes without a decision', async () => {
  const worker = await createCampaignWorker({
    connection: testEnv.nativeConnection,
    namespace: testEnv.namespace ?? 'default',
    taskQueue: 'deadline',
    workflows: { workflowBundle: { codePath: inject('workflowBundlePath') } },
    deps: campaigns.deps(),
  });
  const outcome = await worker.runUntil(async () => {
    await startCampaign(testEnv.client, GOOD_BRIEF, 'lena.vogel', 'deadline-campaign', 'deadline');
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
  // 72 hours of workflow time passed in seconds of wall time.
  expect(outcome.wallMs).toBeLessThan(15_000);
});
