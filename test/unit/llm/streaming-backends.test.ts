/**
 * The AWS backends against mocked SDK clients: SageMaker LMI and Bedrock both stream, so the time
 * to the first token is measured, and usage is what the stream's last chunk (or metadata) reports.
 */
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { BedrockConverseBackend } from '../../../lambdas/llm/adapters/bedrock-converse-backend';
import { SageMakerLmiBackend } from '../../../lambdas/llm/adapters/sagemaker-lmi-backend';
import { type ChatCall, VariantCallFailure } from '../../../lambdas/llm/domain/ports';

const CALL: ChatCall = {
  model: 'm',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of France?' },
  ],
  parameters: { max_tokens: 8 },
};

async function* events<T>(...items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

const bytes = (text: string) => ({ PayloadPart: { Bytes: Buffer.from(text) } });

describe('SageMakerLmiBackend', () => {
  const client = new SageMakerRuntimeClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  beforeEach(() => mock.reset());

  it('streams the OpenAI body and reads server-sent events split anywhere, usage from the last chunk', async () => {
    // Prepare: one event cut across two parts, then usage and [DONE]
    const first = 'data: {"model":"llama","choices":[{"delta":{"content":"Par"}}]}\n\n';
    const second = 'data: {"choices":[{"delta":{"content":"is."},"finish_reason":"stop"}]}\n\n';
    const usage =
      'data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4}}}\n\ndata: [DONE]\n\n';
    mock.on(InvokeEndpointWithResponseStreamCommand).resolves({
      Body: events(bytes(first.slice(0, 30)), bytes(first.slice(30) + second), bytes(usage)),
    } as never);
    // Act
    const answer = await new SageMakerLmiBackend(client, 'mlops-prod-llm-chat').chat(CALL);
    // Assess
    const sent = JSON.parse(Buffer.from(mock.call(0).args[0].input.Body as Uint8Array).toString());
    expect(mock.call(0).args[0].input).toMatchObject({ EndpointName: 'mlops-prod-llm-chat' });
    expect(sent).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 8 });
    expect(answer).toMatchObject({
      content: 'Paris.',
      finishReason: 'stop',
      responseModel: 'llama',
      usage: { inputTokens: 12, outputTokens: 3, cacheReadInputTokens: 4 },
    });
    expect(answer.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('reads JSON Lines as well, and fails with MODEL_ERROR on a stream error event', async () => {
    // Prepare
    mock
      .on(InvokeEndpointWithResponseStreamCommand)
      .resolvesOnce({
        Body: events(
          bytes('{"choices":[{"delta":{"content":"Lima"},"finish_reason":"length"}]}\n'),
          bytes('{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1}}'),
        ),
      } as never)
      .resolvesOnce({ Body: events({ ModelStreamError: { message: 'CUDA out of memory' } }) } as never);
    const backend = new SageMakerLmiBackend(client, 'e');
    // Act
    const answer = await backend.chat(CALL);
    const failed = backend.chat(CALL);
    // Assess
    expect(answer).toMatchObject({ content: 'Lima', finishReason: 'length', usage: { inputTokens: 5 } });
    await expect(failed).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringContaining('CUDA'),
    });
  });
  it('says which production variant answered, and which one a broken stream came from', async () => {
    // Prepare
    mock
      .on(InvokeEndpointWithResponseStreamCommand)
      .resolvesOnce({
        InvokedProductionVariant: 'challenger',
        Body: events(
          bytes('{"choices":[{"delta":{"content":"Oslo"},"finish_reason":"stop"}]}\n'),
          bytes('{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1}}'),
        ),
      } as never)
      .resolvesOnce({
        InvokedProductionVariant: 'challenger',
        Body: events({ ModelStreamError: { message: 'CUDA out of memory' } }),
      } as never);
    const backend = new SageMakerLmiBackend(client, 'e');
    // Act
    const answer = await backend.chat(CALL);
    const failed = await backend.chat(CALL).catch((err: unknown) => err);
    // Assess
    expect(answer).toMatchObject({ content: 'Oslo', invokedProductionVariant: 'challenger' });
    expect(failed).toBeInstanceOf(VariantCallFailure);
    expect(failed).toMatchObject({ invokedProductionVariant: 'challenger', cause: { code: 'MODEL_ERROR' } });
  });
});

describe('BedrockConverseBackend', () => {
  const client = new BedrockRuntimeClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  beforeEach(() => mock.reset());

  it('streams Converse, joining text deltas, with usage (cache reads inside input) from the metadata', async () => {
    // Prepare
    mock.on(ConverseStreamCommand).resolves({
      stream: events(
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Pa' } } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'ris.' } } },
        { messageStop: { stopReason: 'max_tokens' } },
        {
          metadata: {
            usage: { inputTokens: 10, outputTokens: 2, totalTokens: 16, cacheReadInputTokens: 4 },
            metrics: { latencyMs: 40 },
          },
        },
      ),
    } as never);
    // Act
    const answer = await new BedrockConverseBackend(client, { id: 'g1', version: '2' }).chat(CALL);
    // Assess
    expect(mock.call(0).args[0].input).toMatchObject({
      modelId: 'm',
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }],
      inferenceConfig: { maxTokens: 8 },
      guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '2' },
    });
    expect(answer).toMatchObject({
      content: 'Paris.',
      finishReason: 'length',
      usage: { inputTokens: 14, outputTokens: 2, cacheReadInputTokens: 4 },
    });
    expect(answer.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with MODEL_ERROR on an exception event or a stream without usage', async () => {
    // Prepare
    mock
      .on(ConverseStreamCommand)
      .resolvesOnce({
        stream: events({ throttlingException: { name: 'ThrottlingException', message: 'slow down' } }),
      } as never)
      .resolvesOnce({ stream: events({ contentBlockDelta: { delta: { text: 'x' } } }) } as never);
    const backend = new BedrockConverseBackend(client);
    // Act / Assess
    await expect(backend.chat(CALL)).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringContaining('slow down'),
    });
    await expect(backend.chat(CALL)).rejects.toMatchObject({ code: 'MODEL_ERROR' });
  });
});
