/** The SageMaker backend's pure decisions: whether an endpoint update took, and the configs it derives. */
import {
  championOnly,
  endpointProgress,
  withChallenger,
} from '../../../lambdas/deployment/adapters/sagemaker-rollout';

describe('endpointProgress', () => {
  const state = (status: string, config = 'new', failureReason?: string) => ({
    status: status as never,
    endpointConfigName: config,
    weights: {},
    ...(failureReason ? { failureReason } : {}),
  });

  it('is READY only when InService on the expected config', () => {
    expect(endpointProgress(state('InService'), 'new', 1, 10)).toEqual({ progress: 'READY' });
    expect(endpointProgress(state('Updating'), 'new', 1, 10)).toEqual({ progress: 'WAITING' });
  });

  it('is FAILED when the update did not take (InService on the old config), Failed, or too slow', () => {
    expect(endpointProgress(state('InService', 'old', 'health check'), 'new', 3, 10)).toMatchObject({
      progress: 'FAILED',
      reason: 'update to new did not take: health check',
    });
    expect(endpointProgress(state('Failed', 'new', 'boom'), 'new', 1, 10).progress).toBe('FAILED');
    expect(endpointProgress(state('Updating'), 'new', 10, 10).progress).toBe('FAILED');
    expect(endpointProgress(undefined, 'new', 1, 10).progress).toBe('FAILED');
  });
});

describe('withChallenger and championOnly', () => {
  const base = {
    name: 'rest',
    rest: { DataCaptureConfig: { InitialSamplingPercentage: 20 } },
    variants: [
      {
        variantName: 'champion',
        modelName: 'm1',
        weight: 100,
        rest: { InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 2 },
      },
    ],
  };

  it('adds a challenger like the champion, at weight 0, keeping the config settings', () => {
    expect(withChallenger(base, 'canary', 'm2')).toEqual({
      name: 'canary',
      rest: base.rest,
      variants: [
        base.variants[0],
        {
          variantName: 'challenger',
          modelName: 'm2',
          weight: 0,
          rest: { InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 2 },
        },
      ],
    });
  });

  it('leaves the champion alone on a model, dropping the challenger', () => {
    const canary = withChallenger(base, 'canary', 'm2');
    expect(championOnly(canary, 'promoted', 'm2')).toEqual({
      name: 'promoted',
      rest: base.rest,
      variants: [{ ...base.variants[0], modelName: 'm2', weight: 100 }],
    });
    expect(championOnly(canary, 'restored', 'm1').variants).toEqual(base.variants);
  });

  it('fails on a config without a champion', () => {
    expect(() => withChallenger({ ...base, variants: [] }, 'x', 'm2')).toThrow(
      'rest has no champion variant',
    );
  });
});
