import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { roleQueue } from '../domain/task-queue';
import { makeCurrentVersion } from '../worker/deployment';
import { CampaignEnv } from './support/campaign-env';

let env: CampaignEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const { EventType } = proto.temporal.api.enums.v1;

/** The task queue each activity of a campaign was scheduled on, by activity type. */
async function queuesOf(handle: WorkflowHandle): Promise<Record<string, string>> {
  const history = await handle.fetchHistory();
  return Object.fromEntries(
    (history.events ?? []).flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      return scheduled ? [[scheduled.activityType?.name ?? '', scheduled.taskQueue?.name ?? '']] : [];
    }),
  );
}

/** The build ids of the workers that completed the campaign's workflow tasks, in order. */
async function buildsOf(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    .map((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? '');
}

describe('scale-out', () => {
  it('runs model steps and publishing on their role queues, and finishes campaigns with one model worker stopped', async () => {
    env = await CampaignEnv.create();
    const campaigns = env;
    await campaigns.startWorker(campaigns.deps(), { roles: ['workflows', 'publish', 'data'] });
    const first = await campaigns.startWorker(campaigns.deps(), { roles: ['models'] });
    await campaigns.startWorker(campaigns.deps(), { roles: ['models'] });
    const handles = await Promise.all([1, 2, 3].map(() => campaigns.start()));
    // One of the two model workers goes away while the campaigns run; the other takes all their model steps.
    await campaigns.stopWorker(first);
    const hashes = await Promise.all(handles.map((h) => campaigns.awaitApproval(h)));
    await Promise.all(
      handles.map((h, i) =>
        campaigns.decide(h, { decision: 'approve', approver: 'jonas.weber', contentHash: hashes[i] ?? '' }),
      ),
    );
    for (const handle of handles) expect((await handle.result()).outcome.kind).toBe('published');
    const queues = await queuesOf(handles[0] as WorkflowHandle);
    expect(queues).toMatchObject({
      researchFacts: roleQueue(campaigns.taskQueue, 'models'),
      draftCreativeBrief: roleQueue(campaigns.taskQueue, 'models'),
      writeVariants: roleQueue(campaigns.taskQueue, 'models'),
      reviewVariants: roleQueue(campaigns.taskQueue, 'models'),
      publishCampaign: roleQueue(campaigns.taskQueue, 'publish'),
    });
  });

  it('keeps a running campaign on the build it started on when a new build becomes current', async () => {
    env = await CampaignEnv.create();
    const campaigns = env;
    const deploymentName = `campaigns-${campaigns.taskQueue}`;
    const a = { deploymentName, buildId: 'build-a' };
    const b = { deploymentName, buildId: 'build-b' };
    await campaigns.startWorker(campaigns.deps(), { deployment: a });
    await makeCurrentVersion(campaigns.client, a);
    const old = await campaigns.start();
    const oldHash = await campaigns.awaitApproval(old);

    // The new build polls every role's queue, then becomes current: new campaigns go to it.
    await campaigns.startWorker(campaigns.deps(), { deployment: b });
    await makeCurrentVersion(campaigns.client, b);
    const fresh = await campaigns.start();
    const freshHash = await campaigns.awaitApproval(fresh);

    await campaigns.decide(old, { decision: 'approve', approver: 'jonas.weber', contentHash: oldHash });
    await campaigns.decide(fresh, { decision: 'approve', approver: 'jonas.weber', contentHash: freshHash });
    expect((await old.result()).outcome.kind).toBe('published');
    expect((await fresh.result()).outcome.kind).toBe('published');
    // Every workflow task of the old campaign, including those after build-b became current, ran on build-a.
    const oldBuilds = await buildsOf(old);
    expect(oldBuilds.length).toBeGreaterThan(3);
    expect(new Set(oldBuilds)).toEqual(new Set(['build-a']));
    expect(new Set(await buildsOf(fresh))).toEqual(new Set(['build-b']));
    const described = await old.describe();
    expect(described.raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId).toBe('build-a');
  });
});
