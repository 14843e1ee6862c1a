import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { verifyAuditChain } from '../domain/audit-verify';
import type { CampaignResult } from '../domain/campaign';

// One history per workflow version: v1 from the foundation, v2 after the model gateway, v3 (two approvers and a
// change request) after the gate counted change rounds on its own.
const DIR = resolve(import.meta.dirname, 'fixtures/histories');
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, history: historyFromJSON(JSON.parse(readFileSync(resolve(DIR, file), 'utf8'))) }));

describe.each(fixtures)('$file', ({ history }) => {
  it("replays against today's workflow code without a determinism violation", async () => {
    const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? 'fixture';
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, workflowId),
    ).resolves.toBeUndefined();
  });

  it('holds an intact audit chain in its result, which breaks when an approver is rewritten', () => {
    const completed = history.events?.find(
      (e) => e.workflowExecutionCompletedEventAttributes,
    )?.workflowExecutionCompletedEventAttributes;
    const payload = completed?.result?.payloads?.[0] as temporal.api.common.v1.IPayload;
    const result = defaultPayloadConverter.fromPayload<CampaignResult>(payload);
    expect(result.outcome.kind).toBe('published');
    expect(verifyAuditChain(result.audit)).toEqual({
      kind: 'intact',
      head: result.auditHead,
      events: result.audit.length,
    });
    const firstApproval = result.audit.find((e) => e.step === 'approval');
    const tampered = result.audit.map((e) =>
      e === firstApproval ? { ...e, actor: { ...e.actor, id: 'mallory' } } : e,
    );
    expect(verifyAuditChain(tampered)).toMatchObject({ kind: 'broken', seq: firstApproval?.seq });
  });
});
