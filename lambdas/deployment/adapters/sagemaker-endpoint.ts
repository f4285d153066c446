/**
 * The rollout's endpoint operations on the SageMaker control plane. Endpoint configs are
 * immutable, so each change of model is a new config and an UpdateEndpoint; weight changes use
 * UpdateEndpointWeightsAndCapacities, which moves traffic without a redeploy.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpointWeightsAndCapacities.html
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  type CreateEndpointConfigCommandInput,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  type ProductionVariant,
  type SageMakerClient,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';
import type { EndpointConfigSpec, EndpointControl, EndpointState, EndpointStatus } from '../domain/ports';

const errorText = (err: unknown) => `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? ''}`;

/** SageMaker answers a missing resource with a ValidationException "Could not find ...". */
const isNotFound = (err: unknown) => /could not find|does not exist|not found/i.test(errorText(err));
const isAlreadyExists = (err: unknown) => /already exist/i.test(errorText(err));

export class SageMakerEndpointControl implements EndpointControl {
  constructor(private readonly client: SageMakerClient) {}

  async describeEndpoint(endpointName: string): Promise<EndpointState | undefined> {
    try {
      const out = await this.client.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
      const weights: Record<string, number> = {};
      for (const v of out.ProductionVariants ?? []) {
        if (v.VariantName) weights[v.VariantName] = v.CurrentWeight ?? v.DesiredWeight ?? 0;
      }
      return {
        status: (out.EndpointStatus ?? 'Failed') as EndpointStatus,
        endpointConfigName: out.EndpointConfigName ?? '',
        ...(out.FailureReason ? { failureReason: out.FailureReason } : {}),
        weights,
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async describeEndpointConfig(name: string): Promise<EndpointConfigSpec> {
    const out = await this.client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }));
    const {
      EndpointConfigName: _n,
      EndpointConfigArn: _a,
      CreationTime: _c,
      ProductionVariants,
      $metadata: _m,
      ...rest
    } = out;
    return {
      name,
      rest: rest as Record<string, unknown>,
      variants: (ProductionVariants ?? []).map((v) => {
        const { VariantName, ModelName, InitialVariantWeight, ...others } = v;
        return {
          variantName: VariantName ?? '',
          modelName: ModelName ?? '',
          weight: InitialVariantWeight ?? 1,
          rest: others as Record<string, unknown>,
        };
      }),
    };
  }

  async findEndpointConfig(name: string): Promise<EndpointConfigSpec | undefined> {
    try {
      return await this.describeEndpointConfig(name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async createModelLike(
    templateModelName: string,
    newModelName: string,
    modelDataUrl: string,
  ): Promise<void> {
    const template = await this.client.send(new DescribeModelCommand({ ModelName: templateModelName }));
    const container = template.PrimaryContainer ?? template.Containers?.[0];
    if (!container?.Image) throw new Error(`model ${templateModelName} has no container image to copy`);
    try {
      await this.client.send(
        new CreateModelCommand({
          ModelName: newModelName,
          ExecutionRoleArn: template.ExecutionRoleArn,
          PrimaryContainer: {
            Image: container.Image,
            ModelDataUrl: modelDataUrl,
            Environment: container.Environment,
            ...(container.Mode ? { Mode: container.Mode } : {}),
          },
          ...(template.VpcConfig ? { VpcConfig: template.VpcConfig } : {}),
          ...(template.EnableNetworkIsolation !== undefined
            ? { EnableNetworkIsolation: template.EnableNetworkIsolation }
            : {}),
        }),
      );
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  async createEndpointConfig(config: EndpointConfigSpec): Promise<void> {
    const input = {
      ...config.rest,
      EndpointConfigName: config.name,
      ProductionVariants: config.variants.map(
        (v) =>
          ({
            ...v.rest,
            VariantName: v.variantName,
            ModelName: v.modelName,
            InitialVariantWeight: v.weight,
          }) as ProductionVariant,
      ),
    } as CreateEndpointConfigCommandInput;
    try {
      await this.client.send(new CreateEndpointConfigCommand(input));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  async updateEndpoint(endpointName: string, endpointConfigName: string): Promise<void> {
    await this.client.send(
      new UpdateEndpointCommand({
        EndpointName: endpointName,
        EndpointConfigName: endpointConfigName,
        // Keep instance counts autoscaling may have changed; take weights from the new config.
        RetainAllVariantProperties: true,
        ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }],
      }),
    );
  }

  async createEndpoint(endpointName: string, endpointConfigName: string): Promise<void> {
    try {
      await this.client.send(
        new CreateEndpointCommand({ EndpointName: endpointName, EndpointConfigName: endpointConfigName }),
      );
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  async deleteEndpoint(endpointName: string): Promise<void> {
    try {
      await this.client.send(new DeleteEndpointCommand({ EndpointName: endpointName }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async setWeights(endpointName: string, weights: Record<string, number>): Promise<void> {
    await this.client.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: endpointName,
        DesiredWeightsAndCapacities: Object.entries(weights).map(([VariantName, DesiredWeight]) => ({
          VariantName,
          DesiredWeight,
        })),
      }),
    );
  }

  async deleteModel(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteModelCommand({ ModelName: name }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async deleteEndpointConfig(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
