import OpenAI from 'openai';
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import { classifyModelError, refusal } from './failures';
import type { ModelConfig } from './model-config';
import type { ModelProvider, ModelRequest, ProviderReply } from './types';

/** OpenAI or any OpenAI-compatible server, through the official client; Temporal owns retries, so the client has none. */
export function createOpenAIProvider(config: ModelConfig): ModelProvider {
  const client = new OpenAI({
    // Local OpenAI-compatible servers need no key, but the client insists on one.
    apiKey: config.apiKey ?? 'no-key',
    baseURL: config.baseURL,
    maxRetries: 0,
    timeout: config.timeoutSeconds * 1000,
  });
  const complete = config.api === 'chat' ? viaChat : viaResponses;
  return {
    name: 'openai',
    async complete(request, signal) {
      try {
        return await complete(client, request, signal);
      } catch (err) {
        throw classifyModelError(err, request.role);
      }
    },
  };
}

async function viaResponses(
  client: OpenAI,
  request: ModelRequest<unknown>,
  signal: AbortSignal,
): Promise<ProviderReply> {
  const response = await client.responses.create(
    {
      model: request.settings.model,
      input: request.prompt,
      temperature: request.settings.temperature,
      max_output_tokens: request.settings.maxOutputTokens,
      text: { format: zodTextFormat(request.schema, request.schemaName) },
      store: false,
    },
    { signal },
  );
  const refused = response.output.some(
    (item) => item.type === 'message' && item.content.some((part) => part.type === 'refusal'),
  );
  if (refused) throw refusal(request.role);
  return {
    text: response.output_text,
    model: response.model,
    inputTokens: response.usage?.input_tokens ?? 0,
    outputTokens: response.usage?.output_tokens ?? 0,
  };
}

async function viaChat(client: OpenAI, request: ModelRequest<unknown>, signal: AbortSignal): Promise<ProviderReply> {
  const completion = await client.chat.completions.create(
    {
      model: request.settings.model,
      messages: [{ role: 'user', content: request.prompt }],
      temperature: request.settings.temperature,
      max_completion_tokens: request.settings.maxOutputTokens,
      response_format: zodResponseFormat(request.schema, request.schemaName),
    },
    { signal },
  );
  const choice = completion.choices[0];
  if (choice?.message.refusal) throw refusal(request.role);
  if (choice?.finish_reason === 'content_filter') throw refusal(request.role);
  return {
    text: choice?.message.content ?? '',
    model: completion.model,
    inputTokens: completion.usage?.prompt_tokens ?? 0,
    outputTokens: completion.usage?.completion_tokens ?? 0,
  };
}
