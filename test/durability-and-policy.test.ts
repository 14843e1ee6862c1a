import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ActivityFailure, type ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/paths';
import { verifyAuditChain } from '../domain/audit-verify';
import { Failure } from '../domain/failures';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { auditTrailQuery } from '../workflows/messages';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';

let env: CampaignEnv;
beforeAll(async () => {
  env = await CampaignEnv.create();
});
afterAll(() => env?.close());

describe('durability', () => {
  it('finishes a campaign on a new worker after the first one stopped mid-campaign', async () => {
    const first = await env.startWorker();
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    await env.stopWorker(first);

    // The decision is sent while no worker runs; it is delivered once a new worker replays the history.
    const decision = env.decide(handle, { decision: 'approve', approver: 'sara.yilmaz', contentHash: hash });
    const second = await env.startWorker();
    await expect(decision).resolves.toMatchObject({ accepted: true });
    const result = await handle.result();
    expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['sara.yilmaz'] });
    expect(verifyAuditChain(result.audit).kind).toBe('intact');
    await env.stopWorker(second);
  });
});

describe('governance', () => {
  it('denies publishing when no policy permits it, audits the failure and publishes nothing', async () => {
    const policyDir = CampaignEnv.policiesWithout();
    const policyFile = resolve(policyDir, 'agent-tools.cedar');
    const withoutPublisher = readFileSync(policyFile, 'utf8').split('// Publishing needs')[0];
    writeFileSync(policyFile, withoutPublisher ?? '');
    const worker = await env.startWorker(env.deps({ policyDir }));
    const handle = await env.start();
    const hash = await env.awaitApproval(handle);
    await env.decide(handle, { decision: 'approve', approver: 'jonas.weber', contentHash: hash });

    const failure = await handle.result().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (failure as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    const cause = (activityFailure as ActivityFailure).cause as ApplicationFailure;
    expect(cause.type).toBe(Failure.PolicyDenied);
    expect(cause.message).toMatch(/publisher may not call asset.publish: no policy permits it/);
    const trail = await handle.query(auditTrailQuery);
    expect(trail.at(-1)).toMatchObject({ step: 'publish', outcome: 'failed' });
    expect(existsSync(resolve(env.outboxDir, handle.workflowId))).toBe(false);
    await env.stopWorker(worker);
  });

  it('denies every step of a raw start whose channel needs a consent its audience lacks, and audits the denial', async () => {
    const worker = await env.startWorker();
    const brief = { ...GOOD_BRIEF, audience: { ...GOOD_BRIEF.audience, purpose: 'personalised-ads' as const } };
    const workflowId = `raw-consent-${Math.random().toString(36).slice(2, 8)}`;
    // Started raw, past the CLI that would refuse it: the schema passes, the consent policy does not.
    const handle = await env.client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
      taskQueue: env.taskQueue,
      workflowId,
      args: [{ brief, requestedBy: 'lena.vogel' }],
    });
    const failure = await handle.result().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    let cause: unknown = failure;
    while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
    expect((cause as ApplicationFailure).type).toBe(Failure.PolicyDenied);
    expect((cause as Error).message).toMatch(
      /^orchestrator may not call roster\.read: forbidden by consent#email-needs-email-consent/,
    );
    // The run never got a plan, so it is no campaign of ours and the trail refuses its claims; the worker side's
    // receipt of the denied call is what records the denial.
    expect((await env.store.trail.read(workflowId)).events).toEqual([]);
    const receipts = await env.store.receipts.ofRun(workflowId, handle.firstExecutionRunId);
    expect(receipts.map((r) => `${r.activityType}:${r.outcome}`)).toEqual([
      'planCampaign:denied',
      'recordAudit:denied',
    ]);
    expect(receipts[0]?.policy.policyIds).toContain('consent#email-needs-email-consent');
    await env.stopWorker(worker);
  });

  it('refuses to start a worker whose policies do not validate against the schema (fail closed)', () => {
    const policyDir = CampaignEnv.policiesWithout();
    writeFileSync(
      resolve(policyDir, 'typo.cedar'),
      'permit (principal, action, resource) when { context.budgetLeft > 0 };',
    );
    expect(() => env.deps({ policyDir })).toThrow(/typo#@0 does not validate against the schema: .*budgetLeft/);
  });

  it('refuses to start a worker whose policy folder has a broken file (fail closed)', () => {
    const policyDir = CampaignEnv.policiesWithout();
    writeFileSync(resolve(policyDir, 'broken.cedar'), 'permit (principal, action, resource) when { context.x ==');
    expect(() => env.deps({ policyDir })).toThrow(/broken.cedar/);
    expect(readFileSync(resolve(PROJECT_ROOT, 'policies/agent-tools.cedar'), 'utf8')).toContain(
      'publisher-publishes-approved-content',
    );
  });
});
