import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelGateway, type ModelGateway } from '../activities/model-gateway/gateway';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { createOpenAIProvider } from '../activities/model-gateway/openai-provider';
import { loadPromptTemplates } from '../activities/model-gateway/prompt-templates';
import type { ResponseCache } from '../activities/model-gateway/response-cache';
import { PROJECT_ROOT } from '../config/paths';
import { loadSettings } from '../config/settings';
import { researchSelectionSchema } from '../domain/agent-outputs';
import { Failure } from '../domain/failures';
import { type GovernanceStore, openGovernanceStore } from '../store/governance-store';
import { FakeOpenAI, type ScriptedReply } from './support/fake-openai';
import { quietLogger } from './support/quiet-logger';
import { freshDatabase } from './support/test-database';

const SECRET = 'sk-test-never-print-me';
let fake: FakeOpenAI;
let store: GovernanceStore;
let replies: ScriptedReply[] = [];
beforeAll(async () => {
  fake = await FakeOpenAI.start(
    (_request, _n) => replies.shift() ?? { status: 500, error: { message: 'script exhausted' } },
  );
  store = await openGovernanceStore(await freshDatabase(), 'a'.repeat(64));
});
afterAll(async () => {
  await fake?.close();
  await store?.close();
});

/** The store's response cache as a gateway of its own sees it: answers cached by another gateway here are not found. */
function ownCache(): ResponseCache {
  const own = randomBytes(6).toString('hex');
  return {
    get: (key) => store.cache.get({ ...key, promptHash: `${own}:${key.promptHash}` }),
    put: (key, reply) => store.cache.put({ ...key, promptHash: `${own}:${key.promptHash}` }, reply),
  };
}

function gateway(mode: 'responses' | 'chat' = 'responses', timeoutSeconds = 5, model?: string): ModelGateway {
  const env = {
    OPENAI_API_KEY: SECRET,
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_MODE: mode,
    ...(model ? { OPENAI_MODEL: model } : {}),
  };
  const config = {
    ...loadModelConfig(resolve(PROJECT_ROOT, 'config/models.yaml'), loadSettings(env).models),
    timeoutSeconds,
  };
  return createModelGateway({
    config,
    templates: loadPromptTemplates(resolve(PROJECT_ROOT, 'prompts')),
    provider: createOpenAIProvider(config),
    cache: ownCache(),
  });
}

const VARIABLES = { brandName: 'Stadtwerke Elbtal', brief: {}, facts: [], languageName: 'German' };
const call = {
  role: 'researcher' as const,
  variables: VARIABLES,
  schema: researchSelectionSchema,
  schemaName: 'research_selection',
  offline: () => ({ factIds: ['TERM-1'], rationale: 'offline' }),
};
const GOOD = { answer: { factIds: ['TERM-1'], rationale: 'ok' }, inputTokens: 2_000_000, outputTokens: 1_000_000 };

/** Runs `fn` as an activity, with its own activity id so the cache does not carry over between tests. */
function inActivity<T>(fn: () => Promise<T>, activityId = `act-${Math.random()}`): Promise<T> {
  const info = { activityId, workflowExecution: { workflowId: 'wf-gateway', runId: 'run' } };
  return new MockActivityEnvironment(info, { logger: quietLogger }).run(fn);
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as Error).message).not.toContain(SECRET);
  return err as ApplicationFailure;
}

describe('model gateway over the real openai client and a loopback server', () => {
  it('gives an agent only the fields of its schema: an answer that asks for a tool carries no tool call', async () => {
    replies = [
      {
        answer: {
          factIds: ['TERM-1'],
          rationale: 'ok',
          tool: 'asset.publish',
          function_call: { name: 'publishCampaign' },
        },
      },
    ];
    const { output } = await inActivity(() => gateway().generate(call));
    expect(output).toEqual({ factIds: ['TERM-1'], rationale: 'ok' });
  });

  it.each(['responses', 'chat'] as const)(
    'parses a structured answer through the %s API and prices its usage',
    async (mode) => {
      replies = [GOOD];
      const { output, provenance } = await inActivity(() => gateway(mode).generate(call));
      expect(output).toEqual({ factIds: ['TERM-1'], rationale: 'ok' });
      // gpt-4.1-mini at 0.37 €/M in and 1.48 €/M out: 2 M in + 1 M out = 0.74 + 1.48.
      expect(provenance).toMatchObject({
        provider: 'openai',
        model: 'gpt-4.1-mini',
        usage: { calls: 1, inputTokens: 2_000_000, outputTokens: 1_000_000 },
      });
      expect(provenance.usage.costEur).toBeCloseTo(2.22, 6);
      expect(provenance.promptTemplateHash).toMatch(/^[0-9a-f]{64}$/);
      expect(fake.requests.at(-1)?.api).toBe(mode);
    },
  );

  it('prices an answer from a dated snapshot by the model requested, and counts a model without a price', async () => {
    replies = [{ ...GOOD, model: 'gpt-4.1-mini-2025-04-14' }];
    const snapshot = await inActivity(() => gateway().generate(call));
    expect(snapshot.provenance.usage).toMatchObject({ unpricedCalls: 0 });
    expect(snapshot.provenance.usage.costEur).toBeCloseTo(2.22, 6);
    replies = [GOOD];
    const unpriced = await inActivity(() => gateway('responses', 5, 'llama3.1').generate(call));
    expect(unpriced.provenance.usage).toMatchObject({ unpricedCalls: 1, costEur: 0 });
  });

  it('classifies 429 as retryable and passes on Retry-After', async () => {
    replies = [{ status: 429, error: { message: 'slow down' }, headers: { 'retry-after': '7' } }];
    const err = await failure(inActivity(() => gateway().generate(call)));
    expect(err).toMatchObject({ type: Failure.ModelRateLimited, nonRetryable: false, nextRetryDelay: 7000 });
  });

  it('classifies 500 as retryable', async () => {
    replies = [{ status: 500, error: { message: 'boom' } }];
    expect(await failure(inActivity(() => gateway().generate(call)))).toMatchObject({
      type: Failure.ModelUnavailable,
      nonRetryable: false,
    });
  });

  it('gives up on a call that does not answer within its deadline, retryably', async () => {
    replies = [{ hang: true }];
    const started = Date.now();
    expect(await failure(inActivity(() => gateway('responses', 0.5).generate(call)))).toMatchObject({
      type: Failure.ModelTimeout,
      nonRetryable: false,
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it.each([
    [{ status: 400, error: { message: 'bad' } }, Failure.ModelRequestRejected],
    [{ status: 401, error: { message: `Incorrect API key provided: ${SECRET}` } }, Failure.ModelRequestRejected],
    [{ status: 400, error: { message: 'flagged', code: 'content_policy_violation' } }, Failure.ModelContentPolicy],
    [{ refusal: 'I cannot help with that.' }, Failure.ModelRefusal],
  ] as [ScriptedReply, string][])('does not retry %o (%s)', async (reply, type) => {
    replies = [reply];
    expect(await failure(inActivity(() => gateway().generate(call)))).toMatchObject({ type, nonRetryable: true });
  });

  it('repairs malformed JSON once, telling the model what was wrong', async () => {
    replies = [{ raw: '{"factIds": ["TERM-1"' }, GOOD];
    const before = fake.requests.length;
    const { provenance } = await inActivity(() => gateway().generate(call));
    expect(provenance.usage.calls).toBe(2);
    expect(fake.requests.length - before).toBe(2);
    expect(fake.requests.at(-1)?.prompt).toContain('Your previous answer was rejected: the answer was not valid JSON');
  });

  it('fails without retry when the repaired answer still misses the schema', async () => {
    replies = [{ answer: { factIds: 'TERM-1' } }, { answer: { rationale: 'no ids' } }];
    const err = await failure(inActivity(() => gateway().generate(call)));
    expect(err).toMatchObject({ type: Failure.ModelOutputInvalid, nonRetryable: true });
    expect(err.message).toMatch(/^researcher output failed its schema after one repair attempt: factIds/);
  });

  it('answers a repeated call of the same activity from the durable cache, without calling the model', async () => {
    const models = gateway();
    replies = [GOOD];
    await inActivity(() => models.generate(call), 'act-cached');
    const before = fake.requests.length;
    const again = await inActivity(() => models.generate(call), 'act-cached');
    expect(fake.requests.length).toBe(before);
    expect(again.provenance.usage).toMatchObject({ calls: 0, cachedCalls: 1, inputTokens: 2_000_000 });
  });
});
