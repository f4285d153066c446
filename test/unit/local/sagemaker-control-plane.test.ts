/**
 * The local SageMaker's UpdateEndpoint adds and removes production variants as SageMaker does: the
 * endpoint ends up with exactly the new config's variants, a new one with its Initial* weight and
 * count, and RetainAllVariantProperties keeps the retained variants' counts and (unless excluded)
 * weights. The model servers are the control plane's `deploy` port, here a record of what it ran.
 */
import { SageMakerControlPlane } from '../../../local/sagemaker/control-plane';
import { emptyState } from '../../../local/sagemaker/state';

const deployed: string[][] = [];
const plane = new SageMakerControlPlane({
  state: emptyState(),
  save: () => undefined,
  deploy: async (_endpoint, config) => {
    deployed.push(config.ProductionVariants.map((v) => v.VariantName));
  },
  undeploy: async () => undefined,
});

const variant = (VariantName: string, ModelName: string, InitialVariantWeight: number) => ({
  VariantName,
  ModelName,
  InitialVariantWeight,
  InitialInstanceCount: 1,
  InstanceType: 'ml.g5.xlarge',
});

const variants = () =>
  plane.DescribeEndpoint({ EndpointName: 'e' }).ProductionVariants.map((v) => ({
    name: v.VariantName,
    weight: v.CurrentWeight,
    count: v.CurrentInstanceCount,
  }));

const update = async (config: string, exclude = true) => {
  plane.UpdateEndpoint({
    EndpointName: 'e',
    EndpointConfigName: config,
    RetainAllVariantProperties: true,
    ...(exclude ? { ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }] } : {}),
  });
  await plane.settled();
};

beforeAll(async () => {
  for (const name of ['m1', 'm2'])
    plane.CreateModel({ ModelName: name, PrimaryContainer: { Image: 'triton' } });
  plane.CreateEndpointConfig({
    EndpointConfigName: 'rest',
    ProductionVariants: [variant('champion', 'm1', 100)],
  });
  plane.CreateEndpointConfig({
    EndpointConfigName: 'canary',
    ProductionVariants: [variant('champion', 'm1', 100), variant('challenger', 'm2', 0)],
  });
  plane.CreateEndpointConfig({
    EndpointConfigName: 'promoted',
    ProductionVariants: [variant('champion', 'm2', 100)],
  });
  plane.CreateEndpoint({ EndpointName: 'e', EndpointConfigName: 'rest' });
  await plane.settled();
});

describe('local SageMaker UpdateEndpoint', () => {
  it('adds a variant with its config weight and count, keeping the retained variant count', async () => {
    // Prepare: autoscaling took the champion to 3 instances
    plane.UpdateEndpointWeightsAndCapacities({
      EndpointName: 'e',
      DesiredWeightsAndCapacities: [{ VariantName: 'champion', DesiredInstanceCount: 3 }],
    });
    // Act
    await update('canary');
    // Assess
    expect(variants()).toEqual([
      { name: 'champion', weight: 100, count: 3 },
      { name: 'challenger', weight: 0, count: 1 },
    ]);
    expect(deployed.at(-1)).toEqual(['champion', 'challenger']);
  });

  it('keeps retained weights unless DesiredWeight is excluded', async () => {
    plane.UpdateEndpointWeightsAndCapacities({
      EndpointName: 'e',
      DesiredWeightsAndCapacities: [
        { VariantName: 'champion', DesiredWeight: 5 },
        { VariantName: 'challenger', DesiredWeight: 95 },
      ],
    });
    await update('canary', false);
    expect(variants().map((v) => v.weight)).toEqual([5, 95]);
  });

  it('removes a variant the new config drops: the endpoint has one, and the other takes no weight', async () => {
    await update('promoted');
    expect(variants()).toEqual([{ name: 'champion', weight: 100, count: 3 }]);
    expect(deployed.at(-1)).toEqual(['champion']);
    expect(() =>
      plane.UpdateEndpointWeightsAndCapacities({
        EndpointName: 'e',
        DesiredWeightsAndCapacities: [{ VariantName: 'challenger', DesiredWeight: 5 }],
      }),
    ).toThrow('The variant name(s) [challenger] is/are not present in the endpoint.');
  });
});
