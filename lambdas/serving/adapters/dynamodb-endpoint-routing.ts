/**
 * EndpointRouting on the deployments table: the endpoint's name from the environment the stack
 * gave the function, and the traffic split the rollout last recorded (`EndpointRouting`), read
 * with one GetItem and reused for a few seconds. No SageMaker control-plane call: DescribeEndpoint
 * is throttled far below prediction rates and its client alone weighs more than this function.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { EndpointRouting as RoutingRecord } from '../../../contracts/deployment';
import { endpointName } from '../../../contracts/serving';
import { deploymentKeys } from '../../../contracts/tables';
import type { EndpointRouting } from '../domain/ports';
import { AT_REST, type WeightedVariant } from '../domain/routing';

export interface DynamoDbEndpointRoutingProps {
  /** The platform's environment, which names its endpoints (`mlops-<envName>-<model>`). */
  readonly envName: string;
  readonly client?: DynamoDBDocumentClient;
  /** @default - no table: every endpoint is at rest (no model has a configured endpoint) */
  readonly deploymentsTable?: string;
  /** How long a split is reused. @default 5000 */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class DynamoDbEndpointRouting implements EndpointRouting {
  private readonly cache = new Map<string, { at: number; variants: readonly WeightedVariant[] }>();

  constructor(private readonly props: DynamoDbEndpointRoutingProps) {}

  endpointName(modelName: string): string {
    return endpointName(this.props.envName, modelName);
  }

  async variants(modelName: string): Promise<readonly WeightedVariant[]> {
    const { client, deploymentsTable } = this.props;
    if (!client || !deploymentsTable) return AT_REST;
    const now = (this.props.now ?? Date.now)();
    const cached = this.cache.get(modelName);
    if (cached && now - cached.at < (this.props.ttlMs ?? 5000)) return cached.variants;
    const out = await client.send(
      new GetCommand({ TableName: deploymentsTable, Key: deploymentKeys.routing(modelName) }),
    );
    const weights = (out.Item as RoutingRecord | undefined)?.weights;
    const variants = weights
      ? [
          { name: 'champion', weight: Number(weights.champion) },
          { name: 'challenger', weight: Number(weights.challenger) },
        ]
      : AT_REST;
    this.cache.set(modelName, { at: now, variants });
    return variants;
  }
}
