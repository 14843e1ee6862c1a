import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake server received: which API, which schema, and the prompt. */
export interface RecordedRequest {
  api: 'responses' | 'chat';
  schemaName: string;
  prompt: string;
  body: Record<string, unknown>;
}

/** How the fake answers one request. `answer` becomes the model's JSON text; `raw` is sent as the text as-is. */
export type ScriptedReply =
  | { answer: unknown; inputTokens?: number; outputTokens?: number; model?: string }
  | { raw: string }
  | { refusal: string }
  | { status: number; error: { message: string; code?: string; type?: string }; headers?: Record<string, string> }
  | { hang: true };

/** Decides the reply for a request; `n` counts earlier requests with the same schema name. */
export type Script = (request: RecordedRequest, n: number) => ScriptedReply;

/**
 * An OpenAI-compatible HTTP server on loopback that the real `openai` client talks to: the only test double in the
 * suite, at the network edge. It speaks `/v1/responses` and `/v1/chat/completions` and records every request.
 */
export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(public script: Script) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(script: Script): Promise<FakeOpenAI> {
    const fake = new FakeOpenAI(script);
    await new Promise<void>((done) => fake.server.listen(0, '127.0.0.1', done));
    return fake;
  }

  /** The base URL to give as `OPENAI_BASE_URL`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Forgets earlier requests and answers from `script` from now on. */
  reset(script: Script): void {
    this.requests.length = 0;
    this.script = script;
  }

  /** Requests made for one schema. */
  calls(schemaName: string): RecordedRequest[] {
    return this.requests.filter((r) => r.schemaName === schemaName);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    const api = req.url?.endsWith('/chat/completions') ? 'chat' : 'responses';
    const format =
      api === 'chat'
        ? (body.response_format as { json_schema?: { name?: string } }).json_schema
        : (body.text as { format?: { name?: string } }).format;
    const prompt = api === 'chat' ? String((body.messages as { content: string }[])[0]?.content) : String(body.input);
    const request: RecordedRequest = { api, schemaName: format?.name ?? 'unknown', prompt, body };
    const n = this.calls(request.schemaName).length;
    this.requests.push(request);
    const reply = this.script(request, n);
    if ('hang' in reply) {
      this.hanging.add(res);
      return;
    }
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify({ error: { type: 'invalid_request_error', code: null, param: null, ...reply.error } }));
      return;
    }
    const model = 'model' in reply && reply.model ? reply.model : String(body.model);
    const usage =
      'answer' in reply
        ? { input: reply.inputTokens ?? 100, output: reply.outputTokens ?? 50 }
        : { input: 10, output: 5 };
    const content = 'answer' in reply ? JSON.stringify(reply.answer) : 'raw' in reply ? reply.raw : null;
    const refusal = 'refusal' in reply ? reply.refusal : null;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        api === 'chat' ? chatBody(model, content, refusal, usage) : responsesBody(model, content, refusal, usage),
      ),
    );
  }
}

type Usage = { input: number; output: number };

function responsesBody(model: string, content: string | null, refusal: string | null, usage: Usage) {
  const part =
    refusal !== null ? { type: 'refusal', refusal } : { type: 'output_text', text: content, annotations: [] };
  return {
    id: 'resp_fake',
    object: 'response',
    created_at: 1,
    model,
    status: 'completed',
    output: [{ type: 'message', id: 'msg_fake', role: 'assistant', status: 'completed', content: [part] }],
    usage: { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

function chatBody(model: string, content: string | null, refusal: string | null, usage: Usage) {
  return {
    id: 'chatcmpl_fake',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}
