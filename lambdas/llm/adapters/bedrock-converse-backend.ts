/**
 * Amazon Bedrock's Converse API, streamed (ConverseStream), mapped onto the chat-completions call:
 * system messages become `system`, the rest `messages`; the time to the first token is measured at
 * the first text delta; usage is the stream's metadata, normalized (Converse's `inputTokens`
 * excludes cache reads and writes). A configured guardrail is applied by Converse itself
 * (`guardrailConfig`), which is ApplyGuardrail on input and output, with its trace on so an
 * intervention (`stopReason: guardrail_intervened`) can name the policies that fired.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
import {
  type BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  type GuardrailTraceAssessment,
  type TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { PlatformError } from '../../shared/errors';
import type { ChatAnswer, ChatCall, LlmBackend } from '../domain/ports';
import { fromBedrockUsage } from '../domain/usage';
import { guardrailFindings } from './bedrock-guardrail-trace';

export class BedrockConverseBackend implements LlmBackend {
  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly guardrail?: { readonly id: string; readonly version: string },
  ) {}

  async chat(call: ChatCall): Promise<ChatAnswer> {
    const p = call.parameters;
    const started = performance.now();
    const res = await this.client.send(
      new ConverseStreamCommand({
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
                // The trace (in the stream's metadata) is what names the policy that intervened.
                trace: 'enabled',
              },
            }
          : {}),
      }),
    );
    let text = '';
    let stop: string | undefined;
    let usage: TokenUsage | undefined;
    let trace: GuardrailTraceAssessment | undefined;
    let firstTokenMs: number | undefined;
    for await (const event of res.stream ?? []) {
      const failure = streamFailure(event);
      if (failure) throw new PlatformError('MODEL_ERROR', `the model's stream failed: ${failure}`);
      const piece = event.contentBlockDelta?.delta?.text;
      if (piece) {
        firstTokenMs ??= Math.round(performance.now() - started);
        text += piece;
      }
      if (event.messageStop) stop = event.messageStop.stopReason;
      if (event.metadata?.usage) usage = event.metadata.usage;
      if (event.metadata?.trace?.guardrail) trace = event.metadata.trace.guardrail;
    }
    if (!usage) throw new PlatformError('MODEL_ERROR', 'the model answered without usage');
    return {
      content: text,
      finishReason:
        stop === 'max_tokens'
          ? 'length'
          : stop === 'guardrail_intervened' || stop === 'content_filtered'
            ? 'content_filter'
            : 'stop',
      responseModel: call.model,
      usage: fromBedrockUsage(usage),
      ...(firstTokenMs === undefined ? {} : { timeToFirstTokenMs: firstTokenMs }),
      ...(stop === 'guardrail_intervened'
        ? { guardrailIntervention: { findings: guardrailFindings(trace) } }
        : {}),
    };
  }
}

/** The message of an exception event of the stream, if it is one. */
function streamFailure(event: ConverseStreamOutput): string | undefined {
  const e =
    event.internalServerException ??
    event.modelStreamErrorException ??
    event.validationException ??
    event.throttlingException ??
    event.serviceUnavailableException;
  return e ? (e.message ?? e.name) : undefined;
}
