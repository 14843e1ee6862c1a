import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ModelSettings } from '../../config/settings';
import { describeProblem } from '../../domain/problems';
import { MODEL_AGENTS, type ModelAgent } from '../../domain/steps';

/** The agent roles that call a model, from the step catalogue. */
export type AgentRole = ModelAgent;

const roleSettingsSchema = z.object({
  model: z.string().min(1),
  temperature: z.number().min(0).max(2),
  maxOutputTokens: z.number().int().min(16).max(32_000),
});
export type RoleSettings = z.infer<typeof roleSettingsSchema>;

const modelConfigSchema = z.object({
  api: z.enum(['responses', 'chat']),
  timeoutSeconds: z.number().positive().max(600),
  /** Settings per agent; `default` serves every agent without its own entry. */
  roles: z
    .object({ default: roleSettingsSchema })
    .catchall(roleSettingsSchema)
    .superRefine((roles, ctx) => {
      for (const key of Object.keys(roles)) {
        if (key !== 'default' && !(MODEL_AGENTS as readonly string[]).includes(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `not an agent that calls a model (${MODEL_AGENTS.join(', ')}, or default)`,
          });
        }
      }
    }),
  prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) })),
});

/** Everything the gateway needs to know about models, after environment overrides. */
export type ModelConfig = Omit<z.infer<typeof modelConfigSchema>, 'roles'> & {
  /** Each model agent's settings, its own entry or the default. */
  roles: Record<AgentRole, RoleSettings>;
  provider: 'openai' | 'offline';
  baseURL: string | undefined;
  /** Never logged or put in an error message. */
  apiKey: string | undefined;
};

/**
 * Reads `config/models.yaml` and applies the model settings: the OpenAI provider whenever an API key or a base URL is
 * set, else the offline model; a model and an API mode given there override the file.
 */
export function loadModelConfig(file: string, settings: ModelSettings): ModelConfig {
  const parsed = modelConfigSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${describeProblem(parsed.error, 'file', 'dotted')}`);
  const config = parsed.data;
  const { apiMode: mode, model } = settings;
  const roles = Object.fromEntries(
    MODEL_AGENTS.map((agent) => {
      const settings = config.roles[agent] ?? config.roles.default;
      return [agent, model ? { ...settings, model } : settings];
    }),
  ) as ModelConfig['roles'];
  return {
    ...config,
    api: mode ?? config.api,
    roles,
    provider: settings.apiKey || settings.baseURL ? 'openai' : 'offline',
    baseURL: settings.baseURL || undefined,
    apiKey: settings.apiKey || undefined,
  };
}

/**
 * Cost in EUR of one call at the configured price. Providers answer with a dated snapshot name
 * (`gpt-4.1-2025-04-14`), so the requested model is looked up first; unpriced calls cost 0 and say so.
 */
export function priceOf(
  config: Pick<ModelConfig, 'prices'>,
  models: { requested: string; answered: string },
  inputTokens: number,
  outputTokens: number,
) {
  const price = config.prices[models.requested] ?? config.prices[models.answered];
  if (!price) return { costEur: 0, priced: false };
  return { costEur: (inputTokens * price.input + outputTokens * price.output) / 1_000_000, priced: true };
}

/** The models of `config`'s roles that have no price: the € budget cannot stop them, only the token budget does. */
export function unpricedModels(config: Pick<ModelConfig, 'roles' | 'prices' | 'provider'>): string[] {
  if (config.provider !== 'openai') return [];
  return [...new Set(Object.values(config.roles).map((r) => r.model))].filter((m) => !config.prices[m]).sort();
}
