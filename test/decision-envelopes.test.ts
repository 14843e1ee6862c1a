import { dsse } from '@sigstore/core';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decisionEnvelope } from '../client/decide';
import type { Decision } from '../domain/decision';
import { preAuthEncoding } from '../domain/decision-envelope';
import { attestationRefusal, attestDecision } from '../domain/login-attestation';
import { publicKeyOf, signatureRefusal, signDecision } from '../domain/signatures';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { CampaignEnv } from './support/campaign-env';
import { doneSignal } from './support/rogue-campaign';
import { type RogueWorker, startRogueWorker } from './support/rogue-worker';

// Decisions in the standard envelope (an in-toto statement in DSSE), beside the original format, which every build
// keeps verifying; and the query by which a campaign's build says it verifies the envelope.
const approverKey = '11'.repeat(32);
const loginKey = '22'.repeat(32);
const campaignId = 'campaign-envelopes';
const decision: Decision = {
  decision: 'approve',
  approver: 'jonas.weber',
  contentHash: 'ab'.repeat(32),
  decidedAt: '2026-12-01T10:00:00.000Z',
  runId: 'run-1',
  planHash: 'cd'.repeat(32),
  comment: 'passt',
};
const login = { issuer: 'https://login.example', subject: 'jonas.weber' };

describe('decision envelopes', () => {
  it('encode DSSE exactly as the kept Sigstore library does', () => {
    for (const payload of ['', '{"a":1}', 'ümlaut € 😀']) {
      const bytes = Buffer.from(payload);
      expect(Buffer.from(preAuthEncoding('application/vnd.in-toto+json', bytes))).toEqual(
        dsse.preAuthEncoding('application/vnd.in-toto+json', bytes),
      );
    }
  });

  it('verify in both formats, and refuse a signature relabelled as the other format', () => {
    const publicKey = publicKeyOf(approverKey);
    const legacy = signDecision(campaignId, decision, approverKey);
    const enveloped = signDecision(campaignId, decision, approverKey, { envelope: 'dsse' });
    expect(legacy.signature?.envelope).toBeUndefined();
    expect(enveloped.signature?.envelope).toBe('dsse');
    expect(legacy.signature?.value).not.toBe(enveloped.signature?.value);
    expect(signatureRefusal(campaignId, legacy, publicKey)).toBeNull();
    expect(signatureRefusal(campaignId, enveloped, publicKey)).toBeNull();
    const { envelope: _, ...unlabelled } = enveloped.signature ?? { keyId: '', value: '' };
    const relabelled: Decision[] = [
      { ...enveloped, signature: unlabelled },
      { ...legacy, signature: { ...(legacy.signature ?? { keyId: '', value: '' }), envelope: 'dsse' } },
      { ...enveloped, contentHash: 'ef'.repeat(32) },
      { ...enveloped, runId: 'run-2' },
    ];
    for (const forged of relabelled) {
      expect(signatureRefusal(campaignId, forged, publicKey)).toMatch(/does not verify/);
    }
    expect(signatureRefusal('campaign-other', enveloped, publicKey)).toMatch(/does not verify/);
  });

  it('stamp logins in both formats, and refuse a stamp relabelled as the other format', () => {
    const attesters = {
      [attestDecision(campaignId, decision, login, loginKey).attestation?.keyId ?? '']: publicKeyOf(loginKey),
    };
    const legacy = attestDecision(campaignId, decision, login, loginKey);
    const enveloped = attestDecision(campaignId, decision, login, loginKey, { envelope: 'dsse' });
    expect(attestationRefusal(campaignId, legacy, login, attesters)).toBeNull();
    expect(attestationRefusal(campaignId, enveloped, login, attesters)).toBeNull();
    const stamp = enveloped.attestation ?? { ...login, keyId: '', value: '' };
    const { envelope: _, ...unlabelled } = stamp;
    expect(attestationRefusal(campaignId, { ...enveloped, attestation: unlabelled }, login, attesters)).toMatch(
      /does not verify/,
    );
    expect(attestationRefusal(campaignId, { ...enveloped, comment: 'geändert' } as Decision, login, attesters)).toMatch(
      /does not verify/,
    );
  });
});

describe('which envelope a campaign takes', () => {
  let env: CampaignEnv;
  let rogue: RogueWorker;
  const oldQueue = `old-build-${Math.random().toString(36).slice(2, 8)}`;
  beforeAll(async () => {
    env = await CampaignEnv.create();
    await env.startWorker();
    // A build from before the envelopes: a workflow under the campaign's type name without the query.
    rogue = await startRogueWorker('test/support/rogue-campaign.ts', oldQueue);
  });
  afterAll(async () => {
    await rogue?.stop();
    await env?.close();
  });

  it('is dsse where the build says so, and the original format for a build that has no such query', async () => {
    const current = await env.start();
    await env.awaitApproval(current);
    expect(await decisionEnvelope(env.client, current.workflowId)).toBe('dsse');
    const client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
    const old = await client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
      taskQueue: oldQueue,
      workflowId: `old-${Math.random().toString(36).slice(2, 10)}`,
    });
    try {
      expect(await decisionEnvelope(client, old.workflowId)).toBeUndefined();
    } finally {
      await old.signal(doneSignal);
      await current.terminate('test over');
      await client.connection.close();
    }
  });
});
