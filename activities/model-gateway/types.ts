import type { z } from 'zod';
import type { AgentRole, RoleSettings } from './model-config';

/** One request to a model: who asks, the rendered prompt, and the schema the answer must fit. */
export interface ModelRequest<T> {
  role: AgentRole;
  prompt: string;
  schema: z.ZodType<T>;
  /** The schema's name as the provider sees it (`json_schema.name`). */
  schemaName: string;
  settings: RoleSettings;
  /** What the offline model answers; the OpenAI provider ignores it. */
  offline: () => unknown;
}

/** A provider's raw answer: the text it returned and the tokens it billed. */
export interface ProviderReply {
  text: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

/** A model backend: OpenAI (or a compatible server) or the offline model. */
export interface ModelProvider {
  readonly name: 'openai' | 'offline';
  complete(request: ModelRequest<unknown>, signal: AbortSignal): Promise<ProviderReply>;
}
