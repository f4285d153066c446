/**
 * The OpenAI chat-completions protocol over HTTP: what vLLM serves, and the local stand-in LLM.
 * Usage is taken as the server reports it, never estimated.
 */

import { PlatformError } from '../../shared/errors';
import type { ChatAnswer, ChatCall, LlmBackend } from '../domain/ports';
import { fromOpenAiUsage, type OpenAiUsage } from '../domain/usage';

/** An OpenAI-shaped reply body as a ChatAnswer; usage normalized. */
export function answerFromOpenAi(body: unknown, requested: string): ChatAnswer {
  const b = body as {
    model?: string;
    choices?: Array<{ message?: { content?: string | null }; finish_reason?: string | null }>;
    usage?: OpenAiUsage;
  };
  const choice = b.choices?.[0];
  if (!choice || !b.usage)
    throw new PlatformError('MODEL_ERROR', 'the model answered without choices or usage');
  const finish = choice.finish_reason;
  return {
    content: choice.message?.content ?? '',
    finishReason: finish === 'length' ? 'length' : finish === 'content_filter' ? 'content_filter' : 'stop',
    responseModel: b.model ?? requested,
    usage: fromOpenAiUsage(b.usage),
  };
}

/** The request body for `call` in OpenAI's shape, answered in one body. */
export const openAiRequest = (call: ChatCall) => ({
  model: call.model,
  messages: call.messages,
  ...call.parameters,
  stream: false,
});

interface StreamChunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: OpenAiUsage | null;
}

/** The request body for `call` in OpenAI's shape, streamed with the usage in the last chunk. */
export const openAiStreamRequest = (call: ChatCall) => ({
  ...openAiRequest(call),
  stream: true,
  stream_options: { include_usage: true },
});

/**
 * Reads a streamed OpenAI answer, line by line: server-sent events (`data: {...}`, as vLLM and
 * OpenAI send them) or JSON Lines; `[DONE]`, comments and other fields skipped. The time to the
 * first token is from `startedMs` (a `performance.now()` reading) to the first content received.
 */
export async function readOpenAiStream(
  parts: AsyncIterable<Uint8Array>,
  requested: string,
  startedMs: number,
): Promise<ChatAnswer> {
  let content = '';
  let model: string | undefined;
  let finish: string | null | undefined;
  let usage: OpenAiUsage | undefined;
  let firstTokenMs: number | undefined;
  let pending = '';
  const decoder = new TextDecoder();
  const take = (line: string) => {
    const data = line.startsWith('data:') ? line.slice(5).trim() : line.trim();
    if (!data.startsWith('{')) return;
    const chunk = JSON.parse(data) as StreamChunk;
    model ??= chunk.model;
    const choice = chunk.choices?.[0];
    const piece = choice?.delta?.content;
    if (piece) {
      firstTokenMs ??= Math.round(performance.now() - startedMs);
      content += piece;
    }
    if (choice?.finish_reason) finish = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  };
  for await (const bytes of parts) {
    pending += decoder.decode(bytes, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  take(pending + decoder.decode());
  const answer = answerFromOpenAi(
    { model, choices: [{ message: { content }, finish_reason: finish }], usage },
    requested,
  );
  return firstTokenMs === undefined ? answer : { ...answer, timeToFirstTokenMs: firstTokenMs };
}

/**
 * Streams the answer (server-sent events, as vLLM and OpenAI send them) so the time to the first
 * token is measured, not guessed; usage is the last chunk's, as the server counted it.
 */
export class OpenAiHttpBackend implements LlmBackend {
  constructor(private readonly baseUrl: string) {}

  async chat(call: ChatCall): Promise<ChatAnswer> {
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(openAiStreamRequest(call)),
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok || !res.body) throw new PlatformError('MODEL_ERROR', `the model answered ${res.status}`);
    return readOpenAiStream(res.body, call.model, started);
  }
}
