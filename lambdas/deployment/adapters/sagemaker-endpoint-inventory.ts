/**
 * An endpoint on SageMaker as the inventory route reports it: DescribeEndpoint for its status and
 * each variant's current weight and instance count, DescribeEndpointConfig for the model each
 * variant runs (whose name carries the registry version, `<endpoint>-v<version>`). Read-only.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html
 */
import {
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { versionOfSagemakerModel } from '../../../contracts/serving';
import type { EndpointView } from '../domain/inventory';

const isNotFound = (err: unknown) =>
  err instanceof Error && /could not find|not found|does not exist/i.test(err.message);

export async function describeSageMakerEndpoint(
  client: SageMakerClient,
  endpointName: string,
): Promise<EndpointView | undefined> {
  let endpoint: DescribeEndpointCommandOutput;
  try {
    endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const config = endpoint.EndpointConfigName
    ? await client.send(
        new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }),
      )
    : undefined;
  const modelOf = new Map((config?.ProductionVariants ?? []).map((v) => [v.VariantName, v.ModelName ?? '']));
  const live = endpoint.ProductionVariants ?? [];
  const total = live.reduce((sum, v) => sum + (v.CurrentWeight ?? 0), 0);
  return {
    status: endpoint.EndpointStatus ?? 'Failed',
    variants: live.map((v) => {
      const version = versionOfSagemakerModel(endpointName, modelOf.get(v.VariantName) ?? '');
      return {
        name: v.VariantName ?? '',
        ...(version === undefined ? {} : { version }),
        // Relative weights, as percent of traffic.
        weight: total > 0 ? Math.round(((v.CurrentWeight ?? 0) / total) * 10_000) / 100 : 0,
        instanceCount: v.CurrentInstanceCount ?? 0,
      };
    }),
  };
}
