/**
 * The local stand-in LLM over the OpenAI chat-completions protocol, as vLLM serves it:
 * `POST /v1/chat/completions` (JSON, or server-sent events with `stream: true`, the last chunk
 * carrying usage when `stream_options.include_usage` asks), `GET /v1/models`, `GET /health`.
 * The model is {@link WordNgramModel} trained at start from `corpus.txt`; token counts come from a
 * real BPE tokenizer (gpt-tokenizer, o200k), the prompt counted in its chat format. It also speaks
 * the routes of SageMaker's LMI container, so the local SageMaker hosts it as an LMI model:
 * `GET /ping`, and `POST /invocations` taking the same chat-completions body and streaming its
 * chunks as JSON lines, as LMI does.
 * @see https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html
 * @see https://docs.djl.ai/master/docs/serving/serving/docs/lmi/user_guides/chat_input_output_schema.html
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { encode, encodeChat } from 'gpt-tokenizer';
import { detokenize, WordNgramModel } from './ngram';

/** The model id the stand-in answers as. */
export const LOCAL_LLM_MODEL = 'local-word-trigram';
export const LOCAL_LLM_CORPUS = join(__dirname, 'corpus.txt');

interface ChatRequest {
  messages?: Array<{ role: string; content: string }>;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export interface LocalLlmOptions {
  /** @default - the corpus shipped in the repo (`local/llm/corpus.txt`) */
  readonly corpus?: string;
  /** @default 3 */
  readonly order?: number;
  /** The model id answers carry. @default LOCAL_LLM_MODEL */
  readonly modelId?: string;
}

export class LocalLlm {
  readonly model: WordNgramModel;
  private readonly modelId: string;
  private server?: Server;

  constructor(options: LocalLlmOptions = {}) {
    this.modelId = options.modelId ?? LOCAL_LLM_MODEL;
    this.model = WordNgramModel.train(
      options.corpus ?? readFileSync(LOCAL_LLM_CORPUS, 'utf8'),
      options.order,
    );
  }

  /** The answer to `messages` within `maxTokens` BPE tokens, as the tokens' texts. */
  answer(
    messages: ReadonlyArray<{ role: string; content: string }>,
    maxTokens = 256,
  ): { words: string[]; finish: 'stop' | 'length' } {
    const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const words: string[] = [];
    for (const word of this.model.generate(lastUser)) {
      if (encode(detokenize([...words, word])).length > maxTokens) return { words, finish: 'length' };
      words.push(word);
    }
    return { words, finish: 'stop' };
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => reply(res, 500, { error: { message: String(err) } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/ping')) return reply(res, 200, {});
    if (req.method === 'GET' && req.url === '/v1/models') {
      return reply(res, 200, {
        object: 'list',
        data: [{ id: this.modelId, object: 'model', owned_by: 'local' }],
      });
    }
    const lmi = req.url === '/invocations';
    if (req.method !== 'POST' || (req.url !== '/v1/chat/completions' && !lmi)) {
      return reply(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
    let body: ChatRequest;
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
    } catch {
      return reply(res, 400, { error: { message: 'the body is not JSON' } });
    }
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.some((m) => typeof m?.content !== 'string')) {
      return reply(res, 400, { error: { message: 'messages must be a list of {role, content}' } });
    }
    const { words, finish } = this.answer(messages, body.max_tokens);
    const content = detokenize(words);
    const promptTokens = encodeChat(
      messages.map((m) => ({ role: m.role as 'user', content: m.content })),
      'gpt-4o',
    ).length;
    const completionTokens = encode(content).length;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      return reply(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: this.modelId,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
        usage,
      });
    }
    // vLLM streams server-sent events; LMI's /invocations streams one JSON object a line.
    res.writeHead(200, {
      'content-type': lmi ? 'application/jsonlines' : 'text/event-stream',
      'cache-control': 'no-cache',
    });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => {
      const json = JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model: this.modelId,
        choices,
        ...extra,
      });
      res.write(lmi ? `${json}\n` : `data: ${json}\n\n`);
    };
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    for (let i = 0; i < words.length; i++) {
      // Each delta is the text the word adds, so the deltas concatenate to `content`.
      const piece = detokenize(words.slice(0, i + 1)).slice(detokenize(words.slice(0, i)).length);
      chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]);
      // Flushed word by word, as a model decodes, so a reader sees the first token before the last.
      await new Promise((resolve) => setImmediate(resolve));
    }
    chunk([{ index: 0, delta: {}, finish_reason: finish }]);
    if (body.stream_options?.include_usage) chunk([], { usage });
    res.end(lmi ? undefined : 'data: [DONE]\n\n');
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
