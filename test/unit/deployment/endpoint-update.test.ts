import { planEndpointUpdate } from '../../../lambdas/deployment/domain/endpoint-update';
import type { EndpointConfigSpec } from '../../../lambdas/deployment/domain/ports';

const INITIAL_OLD = 'mlops-churn-i0000aaaa';
const INITIAL_NEW = 'mlops-churn-i1111bbbb';

/** A config as `describeEndpointConfig` reads it: two variants on `models`, the given settings. */
function config(
  name: string,
  models: { champion: string; challenger: string },
  settings: { capture?: number; instanceType?: string; weights?: [number, number] } = {},
): EndpointConfigSpec {
  const [champion, challenger] = settings.weights ?? [100, 0];
  const rest = { InstanceType: settings.instanceType ?? 'ml.g5.xlarge', InitialInstanceCount: 1 };
  return {
    name,
    rest: { DataCaptureConfig: { InitialSamplingPercentage: settings.capture ?? 20 } },
    variants: [
      { variantName: 'champion', modelName: models.champion, weight: champion, rest },
      { variantName: 'challenger', modelName: models.challenger, weight: challenger, rest },
    ],
  };
}

const stackConfig = (capture: number, instanceType?: string) =>
  config(
    'mlops-churn-inew',
    { champion: INITIAL_NEW, challenger: INITIAL_NEW },
    {
      capture,
      ...(instanceType ? { instanceType } : {}),
    },
  );

describe('planEndpointUpdate (what a stack deploy does to a live endpoint)', () => {
  it('does nothing when the endpoint already runs the stack config', () => {
    const template = stackConfig(20);
    expect(
      planEndpointUpdate({
        modelName: 'churn',
        template,
        current: template,
        weights: { champion: 100, challenger: 0 },
      }),
    ).toEqual({ action: 'none' });
  });

  it('moves an endpoint never rolled out to the stack config as is', () => {
    const current = config('mlops-churn-iold', { champion: INITIAL_OLD, challenger: INITIAL_OLD });
    const template = stackConfig(50);
    expect(
      planEndpointUpdate({
        modelName: 'churn',
        template,
        current,
        weights: { champion: 100, challenger: 0 },
      }),
    ).toEqual({ action: 'update', config: template, create: false, rescale: false });
  });

  it("keeps a rollout's models and live weights, with the stack's new settings", () => {
    // Arrange: v3 is the champion, v4 is baking at 5% (weights set in place, not in the config)
    const current = config('mlops-churn-cdep42', {
      champion: 'mlops-churn-v3',
      challenger: 'mlops-churn-v4',
    });
    // Act
    const plan = planEndpointUpdate({
      modelName: 'churn',
      template: stackConfig(50),
      current,
      weights: { champion: 95, challenger: 5 },
    });
    // Assert
    expect(plan).toMatchObject({ action: 'update', create: true, rescale: false });
    if (plan.action !== 'update') throw new Error('unreachable');
    expect(plan.config.name).toMatch(/^mlops-churn-s[0-9a-f]{8}$/);
    expect(plan.config.rest).toEqual({ DataCaptureConfig: { InitialSamplingPercentage: 50 } });
    expect(plan.config.variants.map((v) => [v.variantName, v.modelName, v.weight])).toEqual([
      ['champion', 'mlops-churn-v3', 95],
      ['challenger', 'mlops-churn-v4', 5],
    ]);
  });

  it('moves only the variant still on the initial model to the new initial model', () => {
    const current = config('mlops-churn-cfirst', { champion: 'mlops-churn-v1', challenger: INITIAL_OLD });
    const plan = planEndpointUpdate({
      modelName: 'churn',
      template: stackConfig(20),
      current,
      weights: { champion: 100, challenger: 0 },
    });
    if (plan.action !== 'update') throw new Error(`expected an update, got ${plan.action}`);
    expect(plan.config.variants.map((v) => v.modelName)).toEqual(['mlops-churn-v1', INITIAL_NEW]);
  });

  it('names the derived config after what it holds: a retried deploy plans the same, then nothing', () => {
    const input = {
      modelName: 'churn',
      template: stackConfig(50),
      current: config('mlops-churn-cdep42', { champion: 'mlops-churn-v3', challenger: 'mlops-churn-v3' }),
      weights: { champion: 100, challenger: 0 },
    };
    const first = planEndpointUpdate(input);
    expect(planEndpointUpdate(input)).toEqual(first);
    if (first.action !== 'update') throw new Error('unreachable');
    // Once the endpoint runs it, the same deploy has nothing left to do.
    expect(planEndpointUpdate({ ...input, current: first.config })).toEqual({ action: 'none' });
  });

  it('flags an instance type change: the variants must leave autoscaling before the update', () => {
    const current = config('mlops-churn-cdep42', {
      champion: 'mlops-churn-v3',
      challenger: 'mlops-churn-v3',
    });
    const plan = planEndpointUpdate({
      modelName: 'churn',
      template: stackConfig(20, 'ml.g5.2xlarge'),
      current,
      weights: { champion: 100, challenger: 0 },
    });
    expect(plan).toMatchObject({ action: 'update', create: true, rescale: true });
    if (plan.action !== 'update') throw new Error('unreachable');
    expect(plan.config.variants.map((v) => [v.modelName, v.rest.InstanceType])).toEqual([
      ['mlops-churn-v3', 'ml.g5.2xlarge'],
      ['mlops-churn-v3', 'ml.g5.2xlarge'],
    ]);
    // Any other change leaves autoscaling alone.
    expect(
      planEndpointUpdate({
        modelName: 'churn',
        template: stackConfig(50),
        current,
        weights: { champion: 100, challenger: 0 },
      }),
    ).toMatchObject({ rescale: false });
  });
});
