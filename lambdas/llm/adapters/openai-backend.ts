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

/** The request body for `call` in OpenAI's shape. */
export const openAiRequest = (call: ChatCall) => ({
  model: call.model,
  messages: call.messages,
  ...call.parameters,
  stream: false,
});

export class OpenAiHttpBackend implements LlmBackend {
  constructor(private readonly baseUrl: string) {}

  async chat(call: ChatCall): Promise<ChatAnswer> {
    const res = await fetch(`${this.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(openAiRequest(call)),
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) throw new PlatformError('MODEL_ERROR', `the model answered ${res.status}`);
    return answerFromOpenAi(await res.json(), call.model);
  }
}
