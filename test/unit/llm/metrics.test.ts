import type { UsageRecord } from '../../../contracts/llm';
import { blockedMetrics, genAiAttributes, usageMetrics } from '../../../lambdas/llm/domain/usage';
import { toEmf } from '../../../lambdas/shared/metrics';

const record: UsageRecord = {
  id: 'r1',
  at: '2026-03-02T09:00:00.000Z',
  endpoint: 'chat',
  provider: 'aws.bedrock',
  model: 'm',
  responseModel: 'm',
  prompt: { name: 'capitals', version: 2 },
  principal: 'alice',
  usage: {
    inputTokens: 120,
    outputTokens: 30,
    cacheReadInputTokens: 20,
    cacheCreationInputTokens: 0,
    reasoningOutputTokens: 0,
  },
  costMicroUsd: 410,
  priceEffectiveFrom: '2026-01-01',
  latencyMs: 850,
  cacheHit: false,
};

describe('LLM metrics as Embedded Metric Format (written by Powertools Metrics)', () => {
  it('adds the time to the first token of a streamed answer, in the log under the GenAI names', () => {
    // Act
    const doc = toEmf(usageMetrics({ ...record, timeToFirstTokenMs: 120 }, Date.now()));
    const attributes = genAiAttributes({ ...record, timeToFirstTokenMs: 120 });
    // Assess
    expect(doc._aws.CloudWatchMetrics[0].Metrics).toContainEqual({
      Name: 'TimeToFirstToken',
      Unit: 'Milliseconds',
    });
    expect(doc).toMatchObject({ TimeToFirstToken: 120, Latency: 850 });
    expect(attributes).toMatchObject({
      'gen_ai.server.time_to_first_token': 0.12,
      'gen_ai.server.time_to_first_token_ms': 120,
      'gen_ai.server.request.duration': 0.85,
    });
  });

  it('counts a call per endpoint and per endpoint and prompt version, with tokens, cost and latency', () => {
    // Act
    const doc = toEmf(usageMetrics(record, Date.now()));
    // Assess
    expect(doc).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'cdk-mlops/Llm',
            Dimensions: [['Endpoint'], ['Endpoint', 'Prompt']],
            Metrics: [
              { Name: 'Calls', Unit: 'Count' },
              { Name: 'CacheHits', Unit: 'Count' },
              { Name: 'InputTokens', Unit: 'Count' },
              { Name: 'OutputTokens', Unit: 'Count' },
              { Name: 'CostMicroUsd', Unit: 'None' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Endpoint: 'chat',
      Prompt: 'capitals/2',
      Calls: 1,
      CacheHits: 0,
      InputTokens: 120,
      OutputTokens: 30,
      CostMicroUsd: 410,
      Latency: 850,
    });
  });

  it('counts a call without a prompt per endpoint only', () => {
    // Act
    const { prompt: _, ...raw } = record;
    const doc = toEmf(usageMetrics(raw, Date.now()));
    // Assess
    expect(doc._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Endpoint']]);
    expect(doc).not.toHaveProperty('Prompt');
  });

  it('counts an embedding call per collection, never under an endpoint, and names its operation', () => {
    // Prepare
    const { endpoint: _, ...chat } = record;
    const embedding: UsageRecord = { ...chat, operation: 'embeddings', collection: 'geo' };
    // Act
    const doc = toEmf(usageMetrics(embedding, Date.now()));
    const attributes = genAiAttributes(embedding);
    // Assess
    expect(doc._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Collection'], ['Collection', 'Prompt']]);
    expect(doc).toMatchObject({ Collection: 'geo', Calls: 1, InputTokens: 120, CostMicroUsd: 410 });
    expect(doc).not.toHaveProperty('Endpoint');
    expect(attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': 120,
      'mlops.llm.collection': 'geo',
    });
    expect(attributes).not.toHaveProperty('mlops.llm.endpoint');
    expect(genAiAttributes(record)['gen_ai.operation.name']).toBe('chat');
  });

  it('counts a guardrail block per endpoint and rule', () => {
    expect(toEmf(blockedMetrics('chat', 'pii.email', Date.now()))).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [['Endpoint'], ['Endpoint', 'Rule']] }] },
      Endpoint: 'chat',
      Rule: 'pii.email',
      GuardrailBlocks: 1,
    });
  });
});
