import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { Brief } from '../../domain/brief';
import type { ModelUsage, Provenance } from '../../domain/campaign';
import { Failure } from '../../domain/failures';
import { hashOf } from '../../domain/hash';
import { describeProblem } from '../../domain/problems';
import { NO_USAGE } from '../../domain/usage';
import type { BudgetGuard } from '../budget';
import { quoteInjections } from '../privacy/injection';
import { redactDeep } from '../privacy/pii';
import { type AgentRole, type ModelConfig, priceOf } from './model-config';
import { OFFLINE_MODEL } from './offline';
import { type PromptTemplate, renderPrompt } from './prompt-templates';
import type { ResponseCache } from './response-cache';
import type { ModelProvider, ProviderReply } from './types';

/** What an agent asks for: its role, the template's variables, and the schema of the answer. */
export interface GenerateCall<T> {
  role: AgentRole;
  variables: Record<string, unknown>;
  schema: z.ZodType<T>;
  schemaName: string;
  /**
   * The offline model's answer: a deterministic function of the agent's own input, computed only when it is asked.
   * It gets `redact`, which the agent applies to whatever of its input the answer is built from, as a model would see it.
   */
  offline: (redact: <V>(value: V) => V) => T;
  /** The campaign's brief, whose budget the call is reserved against (every agent has one). */
  brief?: Brief;
  /** The domains the brand owns: links to others in the prompt's text are screened as injected. */
  ownDomains?: readonly string[];
}

/** The one way agents reach a model: templates, deadlines, heartbeats, the durable cache, schema repair, and cost. */
export interface ModelGateway {
  readonly provider: ModelProvider['name'];
  generate<T>(call: GenerateCall<T>): Promise<{ output: T; provenance: Provenance }>;
}

const HEARTBEAT_EVERY_MS = 5_000;

/** Builds the gateway over one provider. */
export function createModelGateway(deps: {
  config: ModelConfig;
  templates: Record<AgentRole, PromptTemplate>;
  provider: ModelProvider;
  cache: ResponseCache;
  /** Keeps paid calls within each campaign's budget; the offline model costs nothing and is not reserved. */
  budget?: BudgetGuard;
}): ModelGateway {
  const { config, templates, provider, cache, budget } = deps;

  /** One model call, or its cached answer when an earlier attempt of this activity already paid for it. */
  async function ask(call: GenerateCall<unknown>, prompt: string): Promise<{ reply: ProviderReply; cached: boolean }> {
    const ctx = Context.current();
    const settings = config.roles[call.role];
    // The run id is part of the key: a new run under a reused workflow id must not get an old run's answers.
    const key = {
      workflowId: ctx.info.workflowExecution?.workflowId ?? 'none',
      runId: ctx.info.workflowExecution?.runId ?? 'none',
      activityId: ctx.info.activityId,
      promptHash: hashOf({ prompt, settings, schemaName: call.schemaName, provider: provider.name }),
    };
    const hit = await cache.get(key);
    if (hit) return { reply: hit, cached: true };
    const run = { campaignId: key.workflowId, runId: key.runId };
    let reservation: string | undefined;
    if (budget && provider.name !== 'offline') {
      if (!call.brief) throw new Error(`a ${call.role} model call without a brief cannot be kept within a budget`);
      // Reserved before the call: the prompt's tokens (about three characters each) and every output token allowed.
      const tokens = Math.ceil(prompt.length / 3) + settings.maxOutputTokens;
      const { costEur } = priceOf(
        config,
        { requested: settings.model, answered: settings.model },
        tokens - settings.maxOutputTokens,
        settings.maxOutputTokens,
      );
      reservation = await budget.reserve(run, call.brief, call.role, { costEur, tokens });
    }
    const heartbeat = setInterval(() => ctx.heartbeat({ waitingFor: call.role }), HEARTBEAT_EVERY_MS);
    try {
      const signal = AbortSignal.any([ctx.cancellationSignal, AbortSignal.timeout(config.timeoutSeconds * 1000)]);
      const request = {
        ...call,
        prompt,
        settings,
        offline: () => call.offline(<V>(value: V) => redactDeep(value).value),
      };
      let reply: ProviderReply;
      try {
        reply = await provider.complete(request, signal);
      } catch (err) {
        // A call the provider answered with an error is given back; one that timed out or was cancelled may have been
        // billed, so its reservation keeps counting until it expires.
        if (budget && reservation && !signal.aborted) await budget.release(run, reservation, call.role);
        // Cancellation is not a model failure: rethrow Temporal's own reason so the activity ends as cancelled.
        if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? err;
        throw err;
      }
      await cache.put(key, reply);
      if (budget && reservation) {
        const { costEur } = priceOf(
          config,
          { requested: settings.model, answered: reply.model },
          reply.inputTokens,
          reply.outputTokens,
        );
        await budget.record(run, reservation, call.role, { costEur, tokens: reply.inputTokens + reply.outputTokens });
      }
      return { reply, cached: false };
    } finally {
      clearInterval(heartbeat);
    }
  }

  return {
    provider: provider.name,
    async generate<T>(call: GenerateCall<T>) {
      const template = templates[call.role];
      // Personal data never reaches a model: every string of the prompt's variables is redacted first. Text that reads
      // as an instruction to the model goes in as quoted data.
      const { value: safe, counts: redacted } = redactDeep(call.variables);
      const { value: variables, flagged: injections } = quoteInjections(safe, '', {
        ownDomains: call.ownDomains ?? [],
      });
      const prompt = renderPrompt(template, variables);
      const started = Date.now();
      const replies: { reply: ProviderReply; cached: boolean }[] = [];
      replies.push(await ask(call, prompt));
      let parsed = parseReply(call.schema, replies[0]?.reply.text ?? '');
      if (!parsed.ok) {
        // One repair attempt: the model sees what was wrong with its answer, then gets a second and last chance.
        const repair = `${prompt}\n\nYour previous answer was rejected: ${parsed.problem}. Answer again with JSON that matches the schema exactly.`;
        replies.push(await ask(call, repair));
        parsed = parseReply(call.schema, replies[1]?.reply.text ?? '');
        if (!parsed.ok) {
          throw ApplicationFailure.nonRetryable(
            `${call.role} output failed its schema after one repair attempt: ${parsed.problem}`,
            Failure.ModelOutputInvalid,
          );
        }
      }
      const usage = sumUsage(config, config.roles[call.role].model, replies, Date.now() - started);
      const model = replies.at(-1)?.reply.model ?? config.roles[call.role].model;
      // The answer is checked the same way; what it holds is counted here and flagged by the reviewer.
      const foundInOutput = redactDeep(parsed.value).counts;
      return {
        output: parsed.value,
        provenance: {
          provider: provider.name,
          model,
          promptTemplateHash: template.hash,
          usage,
          privacy: { redacted, foundInOutput },
          ...(injections.length > 0 ? { injections } : {}),
        },
      };
    },
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseReply<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the answer was not valid JSON' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: describeProblem(result.error, 'answer', 'dotted') };
}

/** Sums tokens and cost; an offline answer is free by design, so only real models count as unpriced. */
function sumUsage(
  config: ModelConfig,
  requested: string,
  replies: { reply: ProviderReply; cached: boolean }[],
  latencyMs: number,
): ModelUsage {
  const usage: ModelUsage = { ...NO_USAGE, latencyMs };
  for (const { reply, cached } of replies) {
    if (cached) usage.cachedCalls += 1;
    else usage.calls += 1;
    usage.inputTokens += reply.inputTokens;
    usage.outputTokens += reply.outputTokens;
    const { costEur, priced } = priceOf(
      config,
      { requested, answered: reply.model },
      reply.inputTokens,
      reply.outputTokens,
    );
    usage.costEur += costEur;
    if (!priced && reply.model !== OFFLINE_MODEL) usage.unpricedCalls += 1;
  }
  return usage;
}
