import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { expect, inject, it } from 'vitest';
import { verifyAuditChain } from '../domain/audit-verify';
import type { CampaignResult } from '../domain/campaign';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/histories/sample-campaign-approved.json');
const history = historyFromJSON(JSON.parse(readFileSync(FIXTURE, 'utf8')));

it("replays the recorded sample campaign against today's workflow code without a determinism violation", async () => {
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      history,
      'fixture-sample-campaign',
    ),
  ).resolves.toBeUndefined();
});

it('holds an intact audit chain in the recorded result, ending in the published outcome', () => {
  const completed = history.events?.find(
    (e) => e.workflowExecutionCompletedEventAttributes,
  )?.workflowExecutionCompletedEventAttributes;
  const payload = completed?.result?.payloads?.[0] as temporal.api.common.v1.IPayload;
  const result = defaultPayloadConverter.fromPayload<CampaignResult>(payload);
  expect(result.outcome).toMatchObject({ kind: 'published', approvedBy: ['jonas.weber'] });
  expect(verifyAuditChain(result.audit)).toEqual({ kind: 'intact', head: result.auditHead, events: 8 });
  const tampered = result.audit.map((e) =>
    e.step === 'approval' ? { ...e, actor: { ...e.actor, id: 'mallory' } } : e,
  );
  expect(verifyAuditChain(tampered)).toMatchObject({ kind: 'broken', seq: 7 });
});
