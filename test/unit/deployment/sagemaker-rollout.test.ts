/** The SageMaker backend's pure decisions: whether an endpoint update took, and the configs it derives. */
import { deriveConfig, endpointProgress } from '../../../lambdas/deployment/adapters/sagemaker-rollout';

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

describe('deriveConfig', () => {
  it('keeps variant settings and config settings, swapping models and weights', () => {
    const base = {
      name: 'old',
      rest: { DataCaptureConfig: { InitialSamplingPercentage: 20 } },
      variants: [
        { variantName: 'champion', modelName: 'm1', weight: 100, rest: { InstanceType: 'ml.g5.xlarge' } },
        { variantName: 'challenger', modelName: 'm1', weight: 0, rest: { InstanceType: 'ml.g5.xlarge' } },
      ],
    };
    expect(
      deriveConfig(base, 'new', { champion: 'm1', challenger: 'm2' }, { champion: 100, challenger: 0 }),
    ).toEqual({
      name: 'new',
      rest: base.rest,
      variants: [
        { variantName: 'champion', modelName: 'm1', weight: 100, rest: { InstanceType: 'ml.g5.xlarge' } },
        { variantName: 'challenger', modelName: 'm2', weight: 0, rest: { InstanceType: 'ml.g5.xlarge' } },
      ],
    });
  });
});
