/**
 * Amazon Bedrock's Converse API mapped onto the chat-completions call: system messages become
 * `system`, the rest `messages`; usage is normalized (Converse's `inputTokens` excludes cache
 * reads and writes). A configured guardrail is applied by Converse itself (`guardrailConfig`),
 * which is ApplyGuardrail on input and output.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */
import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { ChatAnswer, ChatCall, LlmBackend } from '../domain/ports';
import { fromBedrockUsage } from '../domain/usage';

export class BedrockConverseBackend implements LlmBackend {
  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly guardrail?: { readonly id: string; readonly version: string },
  ) {}

  async chat(call: ChatCall): Promise<ChatAnswer> {
    const p = call.parameters;
    const res = await this.client.send(
      new ConverseCommand({
        modelId: call.model,
        system: call.messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content })),
        messages: call.messages
          .filter((m) => m.role !== 'system')
          .map((m) => ({ role: m.role as 'user' | 'assistant', content: [{ text: m.content }] })),
        inferenceConfig: {
          ...(p.max_tokens === undefined ? {} : { maxTokens: p.max_tokens }),
          ...(p.temperature === undefined ? {} : { temperature: p.temperature }),
          ...(p.top_p === undefined ? {} : { topP: p.top_p }),
          ...(p.stop === undefined ? {} : { stopSequences: p.stop }),
        },
        ...(this.guardrail
          ? {
              guardrailConfig: {
                guardrailIdentifier: this.guardrail.id,
                guardrailVersion: this.guardrail.version,
              },
            }
          : {}),
      }),
    );
    const text = (res.output?.message?.content ?? []).map((c) => c.text ?? '').join('');
    const stop = res.stopReason;
    return {
      content: text,
      finishReason:
        stop === 'max_tokens'
          ? 'length'
          : stop === 'guardrail_intervened' || stop === 'content_filtered'
            ? 'content_filter'
            : 'stop',
      responseModel: call.model,
      usage: fromBedrockUsage(res.usage ?? {}),
    };
  }
}
