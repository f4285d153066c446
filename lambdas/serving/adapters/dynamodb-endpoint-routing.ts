/**
 * EndpointRouting on the deployments table: the endpoint's name from the environment the stack
 * gave the function, and the traffic split the rollout last recorded (`EndpointRouting`), read
 * with one GetItem and reused for a few seconds, with the running experiment's assignment the
 * experiments capability writes beside the weights. No SageMaker control-plane call: DescribeEndpoint
 * is throttled far below prediction rates and its client alone weighs more than this function.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { EndpointRouting as RoutingRecord } from '../../../contracts/deployment';
import type { ExperimentRouting } from '../../../contracts/experiments';
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

interface Split {
  readonly at: number;
  readonly variants: readonly WeightedVariant[];
  readonly experiment?: ExperimentRouting;
}

export class DynamoDbEndpointRouting implements EndpointRouting {
  private readonly cache = new Map<string, Split>();

  constructor(private readonly props: DynamoDbEndpointRoutingProps) {}

  endpointName(modelName: string): string {
    return endpointName(this.props.envName, modelName);
  }

  async variants(modelName: string): Promise<readonly WeightedVariant[]> {
    return (await this.split(modelName)).variants;
  }

  async experiment(modelName: string): Promise<ExperimentRouting | undefined> {
    return (await this.split(modelName)).experiment;
  }

  forget(modelName: string): void {
    this.cache.delete(modelName);
  }

  private async split(modelName: string): Promise<Split> {
    const { client, deploymentsTable } = this.props;
    const now = (this.props.now ?? Date.now)();
    if (!client || !deploymentsTable) return { at: now, variants: AT_REST };
    const cached = this.cache.get(modelName);
    if (cached && now - cached.at < (this.props.ttlMs ?? 5000)) return cached;
    const out = await client.send(
      new GetCommand({ TableName: deploymentsTable, Key: deploymentKeys.routing(modelName) }),
    );
    const item = out.Item as (RoutingRecord & { experiment?: ExperimentRouting }) | undefined;
    const weights = item?.weights;
    const split: Split = {
      at: now,
      variants: weights
        ? [
            { name: 'champion', weight: Number(weights.champion) },
            { name: 'challenger', weight: Number(weights.challenger) },
          ]
        : AT_REST,
      ...(item?.experiment ? { experiment: experimentOf(item.experiment) } : {}),
    };
    this.cache.set(modelName, split);
    return split;
  }
}

/** The document client reads numbers back as numbers; the shape is re-stated so nothing else leaks in. */
const experimentOf = (e: ExperimentRouting): ExperimentRouting => ({
  name: String(e.name),
  salt: String(e.salt),
  arms: e.arms.map((a) => ({
    name: String(a.name),
    version: Number(a.version),
    variant: a.variant,
    trafficPercent: Number(a.trafficPercent),
  })),
});
