import { join, resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBudgetGuard } from '../activities/budget';
import { createFileDataStore } from '../activities/data-store';
import { type BudgetDraft, sealBudgetDecision } from '../client/budget';
import { decisionBinding } from '../client/decide';
import { PROJECT_ROOT } from '../config/paths';
import type { AuditEvent } from '../domain/audit';
import { GENESIS_HASH } from '../domain/audit-verify';
import type { BudgetDecision, BudgetStatus } from '../domain/budget-decision';
import { Failure } from '../domain/failures';
import { hashOf } from '../domain/hash';
import { KEYRING_FILE } from '../keys/signing-keys';
import type { GovernanceStore } from '../store/governance-store';
import type { AuditEntry } from '../workflows/audit-chain';
import { auditTrailQuery, budgetDecisionUpdate, campaignStateQuery } from '../workflows/messages';
import { CampaignEnv, GOOD_BRIEF } from './support/campaign-env';
import { FakeOpenAI } from './support/fake-openai';
import { runCli } from './support/run-cli';
import { campaignScript } from './support/scripted-model';

let fake: FakeOpenAI;
let env: CampaignEnv;
beforeAll(async () => {
  fake = await FakeOpenAI.start(campaignScript());
  env = await CampaignEnv.create();
  await env.startWorker(env.deps({ modelEnv: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test' } }));
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
});
afterEach(() => fake.reset(campaignScript()));

/** Half a cent: enough for the researcher's small model, not for the strategist's next call. */
const TIGHT = { ...GOOD_BRIEF, budget: { maxCostEur: 0.005 } };

/** Waits until the campaign waits at its budget; returns what it shows. */
async function awaitBudget(handle: WorkflowHandle): Promise<BudgetStatus> {
  const until = Date.now() + 30_000;
  for (;;) {
    const { budget, stage } = await handle.query(campaignStateQuery);
    if (budget) {
      expect(stage).toBe('awaiting-budget');
      return budget;
    }
    if (Date.now() > until) throw new Error(`the campaign never reached its budget (stage ${stage})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sealed = async (handle: WorkflowHandle, draft: BudgetDraft): Promise<BudgetDecision> =>
  sealBudgetDecision(
    handle.workflowId,
    { ...draft, ...(await decisionBinding(env.client, handle.workflowId)) },
    { keyDir: env.keyDir, signaturesRequired: true },
  );

const refusal = (handle: WorkflowHandle, decision: unknown) =>
  handle.executeUpdate(budgetDecisionUpdate, { args: [decision as BudgetDecision] }).then(
    () => 'accepted',
    (err: Error) => (err.cause as Error | undefined)?.message ?? err.message,
  );

describe('the model budget', () => {
  it('stops a campaign before the call that would exceed it, and an approver raises it with a signed decision', async () => {
    const handle = await env.start(TIGHT);
    const budget = await awaitBudget(handle);
    expect(budget).toMatchObject({ step: 'strategist', limitEur: 0.005 });
    expect(budget.spentEur + budget.neededEur).toBeGreaterThan(0.005);
    // The strategist's call was never made: only the researcher's reached the model.
    expect(fake.requests.map((r) => r.schemaName)).toEqual(['research_selection']);

    // The requester may not raise their own campaign's budget; nor may an unsigned or an insufficient raise pass.
    const raise = (approver: string, maxCostEur: number) => sealed(handle, { decision: 'raise', approver, maxCostEur });
    expect(await refusal(handle, { ...(await raise('jonas.weber', 1)), approver: 'lena.vogel' })).toMatch(
      /lena\.vogel hat diese Kampagne beauftragt und darf nicht über ihr Budget entscheiden/,
    );
    const { signature: _, ...unsigned } = await raise('jonas.weber', 1);
    expect(await refusal(handle, unsigned)).toMatch(/decision\.signature: required/);
    expect(await refusal(handle, await raise('jonas.weber', 0.006))).toMatch(/does not cover the next call/);
    expect(await refusal(handle, { ...(await raise('jonas.weber', 1)), approver: 'tobias.brandt' })).toMatch(
      /ist im Plan dieser Kampagne nicht zur Freigabe vorgesehen/,
    );

    // Through the CLI, as an approver would.
    const cli = await runCli(['budget', handle.workflowId, '--as', 'jonas.weber', '--raise', '1'], {
      CAMPAIGN_KEY_DIR: env.keyDir,
    });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('raised to €1 by jonas.weber; the strategist step goes on');
    await env.awaitApproval(handle);
    const trail = await handle.query(auditTrailQuery);
    const decided = trail.find((e) => e.step === 'budget');
    expect(decided).toMatchObject({ action: 'raise', actor: { id: 'jonas.weber' }, detail: { maxCostEur: 1 } });
    expect(fake.requests.map((r) => r.schemaName)).toEqual([
      'research_selection',
      'creative_brief',
      'variant_set',
      'review_advice',
    ]);
    // The raise reached the audit store before the call it paid for.
    const stored = (await env.store.trail.read(handle.workflowId)).events;
    expect(stored.map((e) => e.step)).toContain('budget');
    await handle.terminate('test done');
  });

  it('limits a model without a price by tokens, and says at the start that euros cannot', async () => {
    const local = await CampaignEnv.create();
    const unpriced = { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'local-llama-3' };
    try {
      await local.startWorker(local.deps({ modelEnv: unpriced }));
      const handle = await local.start({ ...GOOD_BRIEF, budget: { maxCostEur: 5, maxTokens: 1500 } });
      const budget = await awaitBudget(handle);
      // Free as far as euros go, and stopped all the same: by its tokens.
      expect(budget).toMatchObject({ spentEur: 0, neededEur: 0, limitTokens: 1500 });
      expect(budget.spentTokens).toBeGreaterThan(0);
      await handle.terminate('test done');
      const started = await runCli(
        [
          'start',
          'examples/briefs/green-tariff-launch.yaml',
          '--requested-by',
          'lena.vogel',
          '--id',
          `unpriced-${Date.now()}`,
        ],
        { ...local.cliEnv(), ...unpriced, CAMPAIGN_TASK_QUEUE: `unpriced-${Date.now()}` },
      );
      expect(started.code).toBe(0);
      expect(started.stderr).toMatch(
        /^note: local-llama-3 has no price in .*models\.yaml: the campaign's € budget cannot stop it; its token budget of 200000 tokens does/,
      );
      const id = started.stdout.match(/^started (\S+)/)?.[1] ?? '';
      await local.client.workflow.getHandle(id).terminate('test done');
    } finally {
      await local.close();
    }
  });

  it('ends the campaign as rejected when an approver stops it at the budget', async () => {
    const handle = await env.start(TIGHT);
    await awaitBudget(handle);
    const bad = await runCli(['budget', handle.workflowId, '--as', 'sara.yilmaz', '--stop']);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'campaign: --reason: required with --stop (at least 3 characters)\n',
    });
    await handle.executeUpdate(budgetDecisionUpdate, {
      args: [
        await sealed(handle, { decision: 'stop', approver: 'sara.yilmaz', reason: 'not worth more than half a cent' }),
      ],
    });
    const result = await handle.result();
    expect(result.outcome).toEqual({
      kind: 'rejected',
      reason: 'stopped at the model budget: not worth more than half a cent',
      rejectedBy: 'sara.yilmaz',
    });
    expect(result.audit.map((e) => `${e.step}:${e.action}`)).toContain('budget:stop');
    expect(fake.calls('creative_brief')).toHaveLength(0);
  });

  it('counts only raises signed by an approver of the brand for this campaign run, whatever a workflow stores', async () => {
    const data = createFileDataStore(resolve(PROJECT_ROOT, 'examples'), {
      keyringFile: join(env.keyDir, KEYRING_FILE),
    });
    const audit = env.store;
    const guard = createBudgetGuard(audit, data);
    const run = { campaignId: 'campaign-forged', runId: 'run-1' };
    const dated = (draft: BudgetDraft, campaignId = run.campaignId) =>
      sealBudgetDecision(campaignId, draft, { keyDir: env.keyDir, signaturesRequired: true });
    const raiseEvent = (decision: BudgetDecision): AuditEntry => ({
      step: 'budget',
      actor: { kind: 'person', id: decision.approver, establishedBy: 'forged' },
      action: 'raise',
      outcome: 'ok',
      detail: {
        maxCostEur: decision.decision === 'raise' ? decision.maxCostEur : undefined,
        decidedAt: decision.decidedAt,
        signature: decision.signature,
      },
    });
    const brief = { ...GOOD_BRIEF, budget: { maxCostEur: 0.01 } };
    const call = { costEur: 0.5, tokens: 1000 };
    const over = async () => {
      try {
        const reservation = await guard.reserve(run, brief, 'copywriter', call);
        await guard.release(run, reservation, 'copywriter');
        return null;
      } catch (err) {
        return (err as { type?: string }).type;
      }
    };
    expect(await over()).toBe(Failure.BudgetExceeded);
    // A workflow that writes its own raises into the trail: unsigned, signed for another campaign, by the requester.
    const raise = { decision: 'raise' as const, maxCostEur: 5 };
    const { signature: _, ...unsigned } = dated({ ...raise, approver: 'jonas.weber' });
    const forged = [
      unsigned,
      dated({ ...raise, approver: 'jonas.weber' }, 'campaign-other'),
      dated({ ...raise, approver: 'lena.vogel' }),
      { ...dated({ ...raise, approver: 'jonas.weber' }), maxCostEur: 50 },
    ];
    await appendEvents(audit, run, forged.map(raiseEvent));
    expect(await over()).toBe(Failure.BudgetExceeded);
    // Even a genuine signed raise a workflow writes into the trail is a claim: it does not count there.
    await appendEvents(audit, run, [raiseEvent(dated({ ...raise, approver: 'jonas.weber' }))]);
    expect(await over()).toBe(Failure.BudgetExceeded);
    // Recorded by the worker side when the gate accepted it, the forged ones still do not count, the genuine one does.
    for (const decision of forged.slice(1)) {
      await audit.decisions.record({
        ...run,
        kind: 'budget',
        decision: decision as BudgetDecision,
        recordedBy: 'test',
      });
    }
    expect(await over()).toBe(Failure.BudgetExceeded);
    const genuine = dated({ ...raise, approver: 'jonas.weber' });
    await audit.decisions.record({ ...run, kind: 'budget', decision: genuine, recordedBy: 'test' });
    expect(await over()).toBeNull();
    // In another run of the same campaign id it does not.
    await expect(guard.reserve({ ...run, runId: 'run-2' }, brief, 'copywriter', call)).rejects.toThrow(
      /exceed the budget/,
    );
  });
});

/** Appends events as a workflow's chain would, continuing what the store holds. */
async function appendEvents(
  audit: GovernanceStore,
  run: { campaignId: string; runId: string },
  drafts: AuditEntry[],
): Promise<void> {
  let prev = (await audit.trail.read(run.campaignId)).events.at(-1);
  const events: AuditEvent[] = [];
  for (const draft of drafts) {
    const body = {
      ...draft,
      seq: (prev?.seq ?? 0) + 1,
      at: new Date().toISOString(),
      workflowId: run.campaignId,
      runId: run.runId,
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    const event = { ...body, hash: hashOf(body) } as AuditEvent;
    events.push(event);
    prev = event;
  }
  await audit.trail.append(run.campaignId, run.runId, events);
}
