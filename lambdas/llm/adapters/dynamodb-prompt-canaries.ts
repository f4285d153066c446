/**
 * The split a running prompt rollout set, from the deployments table: the routing record the
 * rollout's tasks write after each weight change, and the rollout it names (for the version).
 * Read at most once per `ttlMs` per prompt in a container: a step lasts minutes, and a call of a
 * prompt naming `production` should not cost two more reads.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Deployment, EndpointRouting } from '../../../contracts/deployment';
import { deploymentKeys } from '../../../contracts/tables';
import { TtlCache } from '../../shared/ttl-cache';
import type { PromptCanaries, PromptCanary } from '../domain/prompt-rollouts';

export class DynamoDbPromptCanaries implements PromptCanaries {
  private readonly read: TtlCache<PromptCanary | undefined>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    ttlMs = 5_000,
    now: () => number = Date.now,
  ) {
    this.read = new TtlCache(ttlMs, now);
  }

  current(prompt: string): Promise<PromptCanary | undefined> {
    return this.read.get(prompt, () => this.fetch(prompt));
  }

  private async fetch(prompt: string): Promise<PromptCanary | undefined> {
    const routing = (
      await this.db.send(new GetCommand({ TableName: this.tableName, Key: deploymentKeys.routing(prompt) }))
    ).Item as EndpointRouting | undefined;
    if (!routing || routing.weights.challenger <= 0) return undefined;
    const deployment = (
      await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: deploymentKeys.deployment(prompt, routing.deploymentId),
        }),
      )
    ).Item as Deployment | undefined;
    // A rollout that ended set the split back to 0; one that did not get there is no longer running.
    if (deployment?.status !== 'RUNNING') return undefined;
    return {
      deploymentId: routing.deploymentId,
      version: deployment.version,
      challengerPercent: routing.weights.challenger,
    };
  }
}
