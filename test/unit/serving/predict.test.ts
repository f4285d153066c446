import { CAPTURE_KEY_HASHES_PARAMETER, captureKeyHash } from '../../../contracts/erasure-keys';
import type { ExperimentRouting } from '../../../contracts/experiments';
import {
  type EndpointInvoker,
  type EndpointRouting,
  type FeatureReader,
  TargetVariantGoneError,
} from '../../../lambdas/serving/domain/ports';
import { predict } from '../../../lambdas/serving/domain/predict';
import { validateInferenceRequest } from '../../../lambdas/serving/domain/tensors';
import { PlatformError } from '../../../lambdas/shared/errors';

/** An endpoint that records what it was sent and echoes a fixed answer. */
function recordingEndpoint() {
  const sent: Array<{ endpoint: string; body: unknown; targetVariant?: string }> = [];
  const endpoints: EndpointInvoker = {
    invoke: async (endpoint, body, options) => {
      sent.push({ endpoint, body, targetVariant: options.targetVariant });
      return {
        variant: options.targetVariant ?? 'champion',
        body: {
          model_name: 'churn',
          model_version: '3',
          outputs: [{ name: 'p', shape: [1, 1], datatype: 'FP32', data: [0.5] }],
        },
      };
    },
  };
  return { sent, endpoints };
}

/** A rollout at 10%: the split the rollout recorded, the endpoint named for env `dev`. */
const routing: EndpointRouting = {
  endpointName: (model) => `mlops-dev-${model}`,
  variants: async () => [
    { name: 'champion', weight: 90 },
    { name: 'challenger', weight: 10 },
  ],
};

describe('predict', () => {
  it('sends plain OIP to the endpoint, names the variant and version, and pins a routing key', async () => {
    // Prepare
    const { sent, endpoints } = recordingEndpoint();
    const request = validateInferenceRequest({
      id: 'r1',
      parameters: { routing_key: 'user-1', binary_data_output: false },
      inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }],
    });

    // Act
    const first = await predict({ endpoints, routing }, 'churn', request);
    const second = await predict({ endpoints, routing }, 'churn', request);

    // Assess
    expect(sent[0]).toMatchObject({
      endpoint: 'mlops-dev-churn',
      body: { id: 'r1', parameters: { binary_data_output: false } },
    });
    expect((sent[0].body as { parameters: object }).parameters).not.toHaveProperty('routing_key');
    expect(sent[0].targetVariant).toBe(sent[1].targetVariant);
    expect(first.response).toMatchObject({
      model_name: 'churn',
      model_version: '3',
      parameters: { variant: first.variant },
    });
    expect(second.variant).toBe(first.variant);
  });

  it('builds the input from online features for entity keys', async () => {
    // Prepare
    const { sent, endpoints } = recordingEndpoint();
    const features: FeatureReader = {
      read: async (_refs, entities) => entities.id.map((v) => [Number(v), Number(v) * 10]),
    };
    const request = validateInferenceRequest({
      parameters: { entities: { id: [1, 2] }, features: ['v:a', 'v:b'] },
    });

    // Act
    await predict({ endpoints, routing, features }, 'churn', request);

    // Assess
    expect((sent[0].body as { inputs: unknown[] }).inputs).toEqual([
      { name: 'features', datatype: 'FP32', shape: [2, 2], data: [1, 10, 2, 20] },
    ]);
  });

  it('carries a keyed hash of each entity key, never the key, so capture can be erased by entity', async () => {
    // Prepare: a caller's own hash parameter is not trusted
    const { sent, endpoints } = recordingEndpoint();
    const features: FeatureReader = { read: async (_refs, entities) => entities.id.map(() => [1, 2]) };
    const captureKey = { secret: async () => 'k'.repeat(64) };
    const request = validateInferenceRequest({
      parameters: {
        entities: { id: [1001, 'a-7'] },
        features: ['v:a', 'v:b'],
        [CAPTURE_KEY_HASHES_PARAMETER]: ['forged'],
      },
    });
    const plain = validateInferenceRequest({
      parameters: { [CAPTURE_KEY_HASHES_PARAMETER]: ['forged'] },
      inputs: [{ name: 'x', shape: [1, 1], datatype: 'FP32', data: [1] }],
    });

    // Act
    await predict({ endpoints, routing, features, captureKey }, 'churn', request);
    await predict({ endpoints, routing, features, captureKey }, 'churn', plain);

    // Assess
    const [enriched, other] = sent.map((s) => s.body as { parameters?: Record<string, unknown> });
    expect(enriched.parameters).toEqual({
      [CAPTURE_KEY_HASHES_PARAMETER]: [
        captureKeyHash('k'.repeat(64), 'id', 1001),
        captureKeyHash('k'.repeat(64), 'id', 'a-7'),
      ],
    });
    expect(JSON.stringify(enriched)).not.toMatch(/1001|a-7/);
    expect(other.parameters).toBeUndefined();
  });

  it("takes the model's registered feature list when the request names none", async () => {
    // Prepare
    const { sent, endpoints } = recordingEndpoint();
    const asked: string[][] = [];
    const features: FeatureReader = {
      read: async (refs, entities) => {
        asked.push([...refs]);
        return entities.id.map((v) => [Number(v), 0.5]);
      },
    };
    const modelFeatures = { featureRefs: async (m: string) => (m === 'churn' ? ['v:a', 'v:b'] : undefined) };
    // Act
    await predict(
      { endpoints, routing, features, modelFeatures },
      'churn',
      validateInferenceRequest({ parameters: { entities: { id: [7] } } }),
    );
    const unknown = await predict(
      { endpoints, routing, features, modelFeatures },
      'other',
      validateInferenceRequest({ parameters: { entities: { id: [7] } } }),
    ).catch((e) => e);
    // Assess
    expect(asked).toEqual([['v:a', 'v:b']]);
    expect((sent[0].body as { inputs: unknown[] }).inputs).toEqual([
      { name: 'features', datatype: 'FP32', shape: [1, 2], data: [7, 0.5] },
    ]);
    expect([unknown.status, unknown.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(unknown.message).toMatch(/tag model other with mlops:features/);
  });

  it.each([
    ['no feature store', undefined, 400, 'ENRICHMENT_UNAVAILABLE'],
    ['a missing online value', { read: async () => [[1, null]] }, 422, 'FEATURES_MISSING'],
  ])('fails with %s, sending nothing', async (_what, features, status, code) => {
    // Prepare
    const { sent, endpoints } = recordingEndpoint();
    const request = validateInferenceRequest({
      parameters: { entities: { id: [1] }, features: ['v:a', 'v:b'] },
    });

    // Act
    const err = await predict(
      { endpoints, routing, features: features as FeatureReader | undefined },
      'churn',
      request,
    ).catch((e) => e);

    // Assess
    expect(err).toBeInstanceOf(PlatformError);
    expect([err.status, err.code]).toEqual([status, code]);
    expect(sent).toHaveLength(0);
  });
});

describe('predict on a split older than the endpoint', () => {
  /** The endpoint after an experiment concluded: the challenger variant is gone. */
  function championOnly() {
    const targets: Array<string | undefined> = [];
    const endpoints: EndpointInvoker = {
      invoke: async (endpoint, _body, options) => {
        targets.push(options.targetVariant);
        if (options.targetVariant === 'challenger') throw new TargetVariantGoneError(endpoint, 'challenger');
        return {
          variant: 'champion',
          body: { model_name: 'churn', outputs: [{ name: 'p', shape: [1], datatype: 'FP32', data: [1] }] },
        };
      },
    };
    return { targets, endpoints };
  }
  const request = validateInferenceRequest({
    parameters: { routing_key: 'user-1' },
    inputs: [{ name: 'x', shape: [1, 1], datatype: 'FP32', data: [1] }],
  });
  const treatmentOnly: ExperimentRouting = {
    name: 'ab',
    salt: 's',
    arms: [{ name: 'treatment', version: 2, variant: 'challenger', trafficPercent: 100 }],
  };

  it('reads the split again once, and names the arm that served, not the remembered one', async () => {
    // Prepare: the remembered split still runs the experiment; the table's no longer does
    const { targets, endpoints } = championOnly();
    let remembered = true;
    const routing: EndpointRouting = {
      endpointName: (model) => `mlops-dev-${model}`,
      variants: async () => [{ name: 'champion', weight: 100 }],
      experiment: async () => (remembered ? treatmentOnly : undefined),
      forget: () => {
        remembered = false;
      },
    };

    // Act
    const answer = await predict({ endpoints, routing }, 'churn', request);

    // Assess
    expect(targets).toEqual(['challenger', 'champion']);
    expect(answer.variant).toBe('champion');
    expect(answer.response.parameters).not.toHaveProperty('experiment');
  });

  it('answers 503 when the variant is still missing after the re-read', async () => {
    // Prepare: a table that names the removed variant still
    const { targets, endpoints } = championOnly();
    const routing: EndpointRouting = {
      endpointName: (model) => `mlops-dev-${model}`,
      variants: async () => [],
      experiment: async () => treatmentOnly,
      forget: () => {},
    };

    // Act
    const err = await predict({ endpoints, routing }, 'churn', request).catch((e) => e);

    // Assess
    expect([err.status, err.code]).toEqual([503, 'ENDPOINT_UNAVAILABLE']);
    expect(targets).toEqual(['challenger', 'challenger']);
  });
});
