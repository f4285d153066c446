import { LlmEndpointConfig as Endpoint, type LlmEndpointConfig, PriceTable } from '../../../contracts/llm';
import {
  type EndpointModels,
  type ModelCanary,
  modelForCall,
  modelRolloutCallMetrics,
  promotedRecord,
  requireRolloutCandidate,
  rolledBackRecord,
  servedByVariant,
  servedModelId,
  splitModel,
  splitPoint,
} from '../../../lambdas/llm/domain/model-rollouts';
import { toEmf } from '../../../lambdas/shared/metrics';

const ENDPOINT: LlmEndpointConfig = Endpoint.parse({
  name: 'chat',
  backend: 'bedrock',
  model: 'anthropic.claude-a',
  candidateModels: ['anthropic.claude-b', 'anthropic.claude-late'],
});
const tier = { aboveInputTokens: 0, input: 1, output: 2 };
const PRICES = PriceTable.parse([
  { model: 'anthropic.claude-a', effectiveFrom: '2026-01-01', tiers: [tier] },
  { model: 'anthropic.claude-b', effectiveFrom: '2026-01-01', tiers: [tier] },
  { model: 'anthropic.claude-late', effectiveFrom: '2026-06-01', tiers: [tier] },
]);
const CANARY: ModelCanary = { deploymentId: 'd-1', candidate: 'anthropic.claude-b', challengerPercent: 10 };

describe('model rollouts of a Bedrock endpoint', () => {
  it('serves the configured model until a promotion records another', () => {
    expect(servedModelId(ENDPOINT, undefined)).toBe('anthropic.claude-a');
    const record = promotedRecord(ENDPOINT, undefined, 'anthropic.claude-b', 'd-1', '2026-02-01T00:00:00Z');
    expect(record).toEqual({
      endpoint: 'chat',
      modelId: 'anthropic.claude-b',
      previousModelId: 'anthropic.claude-a',
      deploymentId: 'd-1',
      at: '2026-02-01T00:00:00Z',
    });
    expect(servedModelId(ENDPOINT, record)).toBe('anthropic.claude-b');
  });

  it('keeps what a promotion replaced when the promotion is redelivered', () => {
    const first = promotedRecord(ENDPOINT, undefined, 'anthropic.claude-b', 'd-1', 't1');
    expect(promotedRecord(ENDPOINT, first, 'anthropic.claude-b', 'd-1', 't2')).toBe(first);
  });

  it('puts back what served before when the rollout that promoted rolls back, once', () => {
    const promoted = promotedRecord(ENDPOINT, undefined, 'anthropic.claude-b', 'd-1', 't1');
    const back = rolledBackRecord(promoted, 'd-1', 't2');
    expect(back).toMatchObject({ modelId: 'anthropic.claude-a', deploymentId: 'd-1', at: 't2' });
    expect(servedModelId(ENDPOINT, back)).toBe('anthropic.claude-a');
    // Redelivered: nothing left to undo.
    expect(rolledBackRecord(back, 'd-1', 't3')).toBeUndefined();
  });

  it('leaves the record alone when a rollout that never promoted rolls back', () => {
    const promoted = promotedRecord(ENDPOINT, undefined, 'anthropic.claude-b', 'd-1', 't1');
    expect(rolledBackRecord(promoted, 'd-2', 't2')).toBeUndefined();
    expect(rolledBackRecord(undefined, 'd-2', 't2')).toBeUndefined();
  });

  it('sends the rollout share of calls to the candidate, the same side for the same request id', () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => `req-${i}`);
    const served = ids.map((id) => splitModel('anthropic.claude-a', CANARY, id));
    const challenger = served.filter((s) => s.rollout?.variant === 'challenger');
    // 10% +- 2 points over 2,000 calls.
    expect(challenger.length).toBeGreaterThan(160);
    expect(challenger.length).toBeLessThan(240);
    expect(challenger.every((s) => s.modelId === 'anthropic.claude-b')).toBe(true);
    expect(
      served
        .filter((s) => s.rollout?.variant === 'champion')
        .every((s) => s.modelId === 'anthropic.claude-a'),
    ).toBe(true);
    expect(ids.map((id) => splitModel('anthropic.claude-a', CANARY, id))).toEqual(served);
  });

  it('draws afresh for another rollout, and sends nothing at 0%, everything at 100%', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `req-${i}`);
    expect(ids.map((id) => splitPoint(id, 'd-1'))).not.toEqual(ids.map((id) => splitPoint(id, 'd-2')));
    for (const id of ids) {
      expect(splitModel('anthropic.claude-a', { ...CANARY, challengerPercent: 0 }, id)).toEqual({
        modelId: 'anthropic.claude-a',
      });
      expect(splitModel('anthropic.claude-a', { ...CANARY, challengerPercent: 100 }, id).modelId).toBe(
        'anthropic.claude-b',
      );
    }
    expect(splitModel('anthropic.claude-a', undefined, 'r')).toEqual({ modelId: 'anthropic.claude-a' });
  });

  it('accepts a declared, priced candidate', () => {
    expect(() =>
      requireRolloutCandidate(ENDPOINT, 'anthropic.claude-a', 'anthropic.claude-b', PRICES, '2026-02-01'),
    ).not.toThrow();
  });

  it.each([
    [
      'an undeclared candidate',
      'anthropic.claude-z',
      '2026-02-01',
      'is not a candidate of LLM endpoint chat',
    ],
    ['the model served already', 'anthropic.claude-a', '2026-02-01', 'is not a candidate'],
    [
      'a candidate not priced on the day',
      'anthropic.claude-late',
      '2026-02-01',
      'anthropic.claude-late has no price',
    ],
  ])('refuses %s with a 400 naming it', (_, candidate, day, message) => {
    const run = () => requireRolloutCandidate(ENDPOINT, 'anthropic.claude-a', candidate, PRICES, day);
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ status: 400, details: { candidate } }));
  });

  it('refuses a candidate that serves already after a promotion', () => {
    expect(() =>
      requireRolloutCandidate(ENDPOINT, 'anthropic.claude-b', 'anthropic.claude-b', PRICES, '2026-02-01'),
    ).toThrow('serves anthropic.claude-b already');
  });

  it('counts a call under a model rollout by endpoint and side, latency only where the model answered', () => {
    const doc = toEmf(
      modelRolloutCallMetrics('chat', 'challenger', { latencyMs: 80, failed: true, blocked: false }, 0),
    );
    expect(doc._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Endpoint', 'Variant']]);
    expect(doc).toMatchObject({
      Endpoint: 'chat',
      Variant: 'challenger',
      RolloutCalls: 1,
      RolloutErrors: 1,
      RolloutGuardrailBlocks: 0,
      RolloutLatency: 80,
    });
    const blocked = modelRolloutCallMetrics('chat', 'champion', { failed: false, blocked: true }, 0);
    expect(blocked.metrics.map((m) => m.name)).toEqual([
      'RolloutCalls',
      'RolloutErrors',
      'RolloutGuardrailBlocks',
    ]);
  });
});

describe('model rollouts of an LMI endpoint', () => {
  const LMI: LlmEndpointConfig = Endpoint.parse({
    name: 'lmi',
    backend: 'sagemaker',
    model: 'anthropic.claude-a',
    modelArtifactKey: 'llm/a.tar.gz',
    candidateModels: [
      { model: 'anthropic.claude-b', modelArtifactKey: 'llm/b.tar.gz' },
      { model: 'anthropic.claude-late', modelArtifactKey: 'llm/late.tar.gz' },
    ],
  });
  const records = (canary?: ModelCanary, modelId?: string): EndpointModels => ({
    served: async () =>
      modelId
        ? { endpoint: 'lmi', modelId, previousModelId: 'anthropic.claude-a', deploymentId: 'd-0', at: 't' }
        : undefined,
    canary: async () => canary,
  });

  it('sends the call for the served model and leaves the side to the variant SageMaker picks', async () => {
    // Act
    const planned = await modelForCall(records(CANARY), LMI, 'r-1');
    const promoted = await modelForCall(records(undefined, 'anthropic.claude-b'), LMI, 'r-1');
    // Assess
    expect(planned).toEqual({
      modelId: 'anthropic.claude-a',
      variants: { champion: 'anthropic.claude-a', canary: CANARY },
    });
    expect(promoted).toEqual({
      modelId: 'anthropic.claude-b',
      variants: { champion: 'anthropic.claude-b' },
    });
  });

  const B = 'anthropic.claude-b';
  const A = 'anthropic.claude-a';
  it.each([
    [
      'the challenger during a rollout',
      'challenger',
      CANARY,
      { modelId: B, rollout: { deploymentId: 'd-1', variant: 'challenger' } },
    ],
    [
      'the champion during a rollout',
      'champion',
      CANARY,
      { modelId: A, rollout: { deploymentId: 'd-1', variant: 'champion' } },
    ],
    [
      'a variant not said during a rollout',
      undefined,
      CANARY,
      { modelId: A, rollout: { deploymentId: 'd-1', variant: 'champion' } },
    ],
    ['the challenger with no split (a rollout ending)', 'challenger', undefined, { modelId: A }],
    ['the challenger at 0%', 'challenger', { ...CANARY, challengerPercent: 0 }, { modelId: A }],
    [
      'the challenger of a split on the served model',
      'challenger',
      { ...CANARY, candidate: A },
      { modelId: A },
    ],
  ])(
    'prices and counts a call %s answered as the model that variant serves',
    (_, variant, canary, served) => {
      // Act
      const by = servedByVariant({ champion: A, ...(canary ? { canary } : {}) }, variant);
      // Assess
      expect(by).toEqual(served);
    },
  );

  it('accepts a declared, priced candidate, by its model id', () => {
    expect(() =>
      requireRolloutCandidate(LMI, 'anthropic.claude-a', 'anthropic.claude-b', PRICES, '2026-02-01'),
    ).not.toThrow();
  });

  it.each([
    [
      'an undeclared candidate',
      'anthropic.claude-a',
      'anthropic.claude-z',
      'is not a candidate of LLM endpoint lmi',
    ],
    [
      'the model served already',
      'anthropic.claude-b',
      'anthropic.claude-b',
      'serves anthropic.claude-b already',
    ],
    ['a candidate not priced on the day', 'anthropic.claude-a', 'anthropic.claude-late', 'has no price'],
  ])('refuses %s with a 400 naming it', (_, served, candidate, message) => {
    const run = () => requireRolloutCandidate(LMI, served, candidate, PRICES, '2026-02-01');
    expect(run).toThrow(message);
    expect(run).toThrow(expect.objectContaining({ status: 400, details: { candidate } }));
  });

  it('refuses any candidate on an LMI endpoint that declares none', () => {
    const bare = Endpoint.parse({
      name: 'bare',
      backend: 'sagemaker',
      model: 'llama',
      modelArtifactKey: 'k',
    });
    expect(() => requireRolloutCandidate(bare, 'llama', 'anthropic.claude-b', PRICES, '2026-02-01')).toThrow(
      expect.objectContaining({ status: 400, details: { candidate: 'anthropic.claude-b' } }),
    );
  });
});
