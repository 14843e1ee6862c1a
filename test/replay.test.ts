import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { verifyAuditChain } from '../domain/audit-verify';
import type { CampaignResult } from '../domain/campaign';
import { SUPPORT_ACTIVITIES } from '../domain/steps';

// One history per workflow version: v1 from the foundation, v2 after the model gateway, v3 (two approvers and a
// change request) after the gate counted change rounds on its own, v4 (the same scenario) after activity results came
// in a policy envelope and the workflow ran its steps from the step catalogue, v5 (both scenarios) after the
// lean-history patch (planning as a local activity, search attributes and memo written only when they change), v6
// (both scenarios) with signed decisions, a validated input and a publisher that verifies its evidence, v7 (both)
// after the audit-store patch (events to the audit store as the campaign runs, findings in the review event), v8 (both,
// and a campaign that reaches its model budget on scripted paid models and has it raised) after the budget-gate patch
// (audit events ride with every step; a step over the budget waits for an approver), v9 (the three, and a campaign
// whose approval waits past a seconds-long SLA so the backup joins and approves) after the escalation and role-queues
// patches and inbox tokens; v14 (all four) after the lean-commands patch (one patch marker, the recorder and the
// notifier on the workflow task queue).
const DIR = resolve(import.meta.dirname, 'fixtures/histories');
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({
    file,
    version: Number(/-v(\d+)\.json$/.exec(file)?.[1] ?? 0),
    history: historyFromJSON(JSON.parse(readFileSync(resolve(DIR, file), 'utf8'))),
  }));

function resultOf(history: temporal.api.history.v1.IHistory): CampaignResult {
  const completed = history.events?.find(
    (e) => e.workflowExecutionCompletedEventAttributes,
  )?.workflowExecutionCompletedEventAttributes;
  const payload = completed?.result?.payloads?.[0] as temporal.api.common.v1.IPayload;
  return defaultPayloadConverter.fromPayload<CampaignResult>(payload);
}

/**
 * Every activity input the workflow scheduled, as the JSON text that went over the wire, without the audit events that
 * ride along for the store (the governance interceptor takes them out before the activity runs).
 */
/** The inputs of the campaign's steps (not of the recorder, whose input is the audit), the audit events taken out. */
function activityInputs(history: temporal.api.history.v1.IHistory): string[] {
  return rawActivityInputs(history, { steps: true }).map((text) => {
    const { audit: _, ...input } = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(input);
  });
}

function rawActivityInputs(history: temporal.api.history.v1.IHistory, only: { steps?: boolean } = {}): string[] {
  return (history.events ?? []).flatMap((e) => {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (only.steps && (scheduled?.activityType?.name ?? '') in SUPPORT_ACTIVITIES) return [];
    const payload = scheduled?.input?.payloads?.[0];
    return payload?.data ? [Buffer.from(payload.data).toString('utf8')] : [];
  });
}

describe.each(fixtures)('$file', ({ history }) => {
  it("replays against today's workflow code without a determinism violation", async () => {
    const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? 'fixture';
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, workflowId),
    ).resolves.toBeUndefined();
  });

  it('holds an intact audit chain in its result, which breaks when an approver is rewritten', () => {
    const result = resultOf(history);
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

  it('records, for every agent step, the policy decision that allowed it', () => {
    const steps = resultOf(history).audit.filter((e) => e.actor.kind === 'agent');
    expect(steps.length).toBeGreaterThanOrEqual(6);
    for (const event of steps) {
      expect(event.policy).toMatchObject({ decision: 'allow', agent: event.actor.id });
      expect(event.policy?.policyIds.length).toBeGreaterThan(0);
    }
  });
});

describe.each(fixtures.filter((f) => f.version >= 4))('$file (policy envelope)', ({ history }) => {
  it('hands no policy record on to a later step: no activity input carries a policy id or the policy-set hash', () => {
    const { policySetHash } = resultOf(history).audit.find((e) => e.policy)?.policy ?? {};
    expect(policySetHash).toMatch(/^[0-9a-f]{64}$/);
    const inputs = activityInputs(history);
    expect(inputs.length).toBeGreaterThanOrEqual(5);
    for (const input of inputs) {
      expect(input).not.toContain(policySetHash);
      expect(input).not.toMatch(/"(governance|policyIds|policySetHash)"/);
    }
  });
});

describe.each(fixtures.filter((f) => f.version >= 6))('$file (signed decisions)', ({ history }) => {
  it('records every decision with the key that signed it and what it signed', () => {
    const decisions = resultOf(history).audit.filter((e) => e.step === 'approval');
    expect(decisions.length).toBeGreaterThanOrEqual(1);
    for (const event of decisions) {
      expect(event.actor.establishedBy).toMatch(/^Ed25519 signature by key ed25519:[0-9a-f]{16}/);
      expect(event.detail).toMatchObject({
        decidedAt: expect.any(String),
        signature: { keyId: expect.stringMatching(/^ed25519:/), value: expect.stringMatching(/^[0-9a-f]{128}$/) },
      });
    }
  });
});

describe.each(fixtures.filter((f) => f.version >= 8))('$file (audit with every step)', ({ file, history }) => {
  it('sends each audit event to the store with the next step, so the store is never more than one step behind', () => {
    const carried = rawActivityInputs(history).flatMap((text) =>
      ((JSON.parse(text) as { audit?: { seq: number }[] }).audit ?? []).map((e) => e.seq),
    );
    const { audit } = resultOf(history);
    // The events before publishing all went with a step (the first with the planning step, a local activity whose
    // input the history does not keep); the rest went in the last local activity.
    const publish = audit.find((e) => e.step === 'publish')?.seq ?? 0;
    expect(publish).toBeGreaterThan(5);
    for (let seq = 2; seq < publish; seq++) expect(carried).toContain(seq);
    if (!file.includes('budget')) return;
    const raise = audit.find((e) => e.step === 'budget');
    expect(raise).toMatchObject({ action: 'raise', actor: { id: 'jonas.weber' }, detail: { maxCostEur: 1 } });
    expect(carried).toContain(raise?.seq);
  });
});

describe.each(fixtures.filter((f) => f.version >= 9))('$file (role queues, inbox, escalation)', ({ file, history }) => {
  it('schedules model steps and publishing on their role queues and lists inbox tokens, never roster ids', () => {
    const queues = (history.events ?? []).flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      return scheduled ? [`${scheduled.activityType?.name}@${scheduled.taskQueue?.name}`] : [];
    });
    expect(queues).toContain('writeVariants@campaigns-models');
    expect(queues).toContain('publishCampaign@campaigns-publish');
    const upserted = (history.events ?? []).flatMap((e) => {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
      const inbox = fields.CampaignInbox?.data;
      return inbox ? [Buffer.from(inbox).toString('utf8')] : [];
    });
    expect(upserted.some((value) => /"i[0-9a-f]{24}"/.test(value))).toBe(true);
    for (const value of upserted) expect(value).not.toMatch(/[a-z]+\.[a-z]+/);
    if (!file.includes('escalation')) return;
    const { audit, outcome } = resultOf(history);
    expect(audit.find((e) => e.action === 'escalate')?.detail).toMatchObject({ joined: ['katrin.schulz'] });
    expect(outcome).toMatchObject({ kind: 'published', approvedBy: ['katrin.schulz'] });
  });
});

describe.each(fixtures.filter((f) => f.version >= 12))('$file (decisions in DSSE envelopes)', ({ history }) => {
  it('records every approver decision as signed over its in-toto statement, which still verifies', () => {
    const decisions = resultOf(history).audit.filter((e) => e.step === 'approval');
    expect(decisions.length).toBeGreaterThanOrEqual(1);
    for (const event of decisions) {
      expect(event.detail).toMatchObject({ signature: { envelope: 'dsse' } });
    }
  });
});

describe.each(fixtures.filter((f) => f.version >= 14))('$file (lean commands)', ({ history }) => {
  it('records one patch marker, standing for every patch, and one search-attribute write for it', () => {
    const markers = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    expect(markers).toHaveLength(1);
    const changeVersions = (history.events ?? []).filter(
      (e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion,
    );
    expect(changeVersions).toHaveLength(1);
  });

  it('runs the recorder and the notifier on the workflow task queue, the model steps and publishing on their roles', () => {
    const queues = (history.events ?? []).flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      return scheduled ? [`${scheduled.activityType?.name}@${scheduled.taskQueue?.name}`] : [];
    });
    expect(queues).toContain('recordDecision@campaigns');
    expect(queues).toContain('recordAudit@campaigns');
    expect(queues).toContain('notifyPeople@campaigns');
    expect(queues).toContain('writeVariants@campaigns-models');
    expect(queues).toContain('publishCampaign@campaigns-publish');
    expect(queues.filter((q) => q.endsWith('-data'))).toEqual([]);
  });
});
