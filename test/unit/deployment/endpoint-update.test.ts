import { planEndpointUpdate } from '../../../lambdas/deployment/domain/endpoint-update';
import type { EndpointConfigSpec } from '../../../lambdas/deployment/domain/ports';

const INITIAL_OLD = 'mlops-churn-i0000aaaa';
const INITIAL_NEW = 'mlops-churn-i1111bbbb';

/**
 * A config as `describeEndpointConfig` reads it: the champion on its model, and a challenger when
 * one is given (an older stack's config kept one at weight 0), with the given settings.
 */
function config(
  name: string,
  models: { champion: string; challenger?: string },
  settings: { capture?: number; instanceType?: string } = {},
): EndpointConfigSpec {
  const rest = { InstanceType: settings.instanceType ?? 'ml.g5.xlarge', InitialInstanceCount: 1 };
  return {
    name,
    rest: { DataCaptureConfig: { InitialSamplingPercentage: settings.capture ?? 20 } },
    variants: [
      { variantName: 'champion', modelName: models.champion, weight: 100, rest },
      ...(models.challenger
        ? [{ variantName: 'challenger', modelName: models.challenger, weight: 0, rest }]
        : []),
    ],
  };
}

/** The stack's config: the champion alone on the stack's initial model. */
const stackConfig = (capture: number, instanceType?: string) =>
  config(
    'mlops-churn-inew',
    { champion: INITIAL_NEW },
    { capture, ...(instanceType ? { instanceType } : {}) },
  );

describe('planEndpointUpdate (what a stack deploy does to a live endpoint)', () => {
  it('does nothing when the endpoint already runs the stack config', () => {
    const template = stackConfig(20);
    expect(
      planEndpointUpdate({
        endpointName: 'mlops-churn',
        template,
        current: template,
        weights: { champion: 100 },
      }),
    ).toEqual({ action: 'none' });
  });

  it('moves an endpoint never rolled out to the stack config as is', () => {
    const current = config('mlops-churn-iold', { champion: INITIAL_OLD });
    const template = stackConfig(50);
    expect(
      planEndpointUpdate({ endpointName: 'mlops-churn', template, current, weights: { champion: 100 } }),
    ).toEqual({ action: 'update', config: template, create: false, rescale: false, removed: [] });
  });

  it("keeps a rollout's champion model, with the stack's new settings", () => {
    // Arrange: v3 is the champion, alone at rest
    const current = config('mlops-churn-pdep42', { champion: 'mlops-churn-v3' });
    // Act
    const plan = planEndpointUpdate({
      endpointName: 'mlops-churn',
      template: stackConfig(50),
      current,
      weights: { champion: 100 },
    });
    // Assert
    expect(plan).toMatchObject({ action: 'update', create: true, rescale: false, removed: [] });
    if (plan.action !== 'update') throw new Error('unreachable');
    expect(plan.config.name).toMatch(/^mlops-churn-s[0-9a-f]{8}$/);
    expect(plan.config.rest).toEqual({ DataCaptureConfig: { InitialSamplingPercentage: 50 } });
    expect(plan.config.variants.map((v) => [v.variantName, v.modelName, v.weight])).toEqual([
      ['champion', 'mlops-churn-v3', 100],
    ]);
  });

  it("drops an older stack's challenger kept at rest, which must leave autoscaling first", () => {
    // Arrange: both variants on v3, as a promotion left them before one variant at rest
    const current = config('mlops-churn-pdep41', {
      champion: 'mlops-churn-v3',
      challenger: 'mlops-churn-v3',
    });
    // Act
    const plan = planEndpointUpdate({
      endpointName: 'mlops-churn',
      template: stackConfig(20),
      current,
      weights: { champion: 95, challenger: 5 },
    });
    // Assert: the champion alone, all traffic, on the rollout's model
    expect(plan).toMatchObject({ action: 'update', create: true, removed: ['challenger'] });
    if (plan.action !== 'update') throw new Error('unreachable');
    expect(plan.config.variants.map((v) => [v.variantName, v.modelName, v.weight])).toEqual([
      ['champion', 'mlops-churn-v3', 100],
    ]);
  });

  it('moves a champion still on the initial model to the new initial model', () => {
    const current = config('mlops-churn-ifirst', { champion: INITIAL_OLD, challenger: INITIAL_OLD });
    const plan = planEndpointUpdate({
      endpointName: 'mlops-churn',
      template: stackConfig(20),
      current,
      weights: { champion: 100, challenger: 0 },
    });
    if (plan.action !== 'update') throw new Error(`expected an update, got ${plan.action}`);
    expect(plan.config.variants.map((v) => v.modelName)).toEqual([INITIAL_NEW]);
    expect(plan.removed).toEqual(['challenger']);
  });

  it('refuses an endpoint without a champion variant to keep', () => {
    const current: EndpointConfigSpec = { name: 'other', rest: {}, variants: [] };
    expect(
      planEndpointUpdate({ endpointName: 'mlops-churn', template: stackConfig(20), current, weights: {} }),
    ).toEqual({ action: 'refuse', reason: 'other has no champion variant to keep' });
  });

  it('names the derived config after what it holds: a retried deploy plans the same, then nothing', () => {
    const input = {
      endpointName: 'mlops-churn',
      template: stackConfig(50),
      current: config('mlops-churn-pdep42', { champion: 'mlops-churn-v3' }),
      weights: { champion: 100 },
    };
    const first = planEndpointUpdate(input);
    expect(planEndpointUpdate(input)).toEqual(first);
    if (first.action !== 'update') throw new Error('unreachable');
    // Once the endpoint runs it, the same deploy has nothing left to do.
    expect(planEndpointUpdate({ ...input, current: first.config })).toEqual({ action: 'none' });
  });

  it('flags an instance type change: the variant must leave autoscaling before the update', () => {
    const current = config('mlops-churn-pdep42', { champion: 'mlops-churn-v3' });
    const plan = planEndpointUpdate({
      endpointName: 'mlops-churn',
      template: stackConfig(20, 'ml.g5.2xlarge'),
      current,
      weights: { champion: 100 },
    });
    expect(plan).toMatchObject({ action: 'update', create: true, rescale: true });
    if (plan.action !== 'update') throw new Error('unreachable');
    expect(plan.config.variants.map((v) => [v.modelName, v.rest.InstanceType])).toEqual([
      ['mlops-churn-v3', 'ml.g5.2xlarge'],
    ]);
    // Any other change leaves autoscaling alone.
    expect(
      planEndpointUpdate({
        endpointName: 'mlops-churn',
        template: stackConfig(50),
        current,
        weights: { champion: 100 },
      }),
    ).toMatchObject({ rescale: false });
  });
});
