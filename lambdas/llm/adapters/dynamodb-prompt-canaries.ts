/**
 * The split a running prompt rollout set, from the deployments table: the routing record the
 * rollout's tasks write after each weight change, and the rollout it names (for the version).
 * Read at most once per `ttlMs` per prompt in a container: a step lasts minutes, and a call of a
 * prompt naming `production` should not cost two more reads.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Deployment, EndpointRouting } from '../../../contracts/deployment';
import { deploymentKeys } from '../../../contracts/tables';
import type { PromptCanaries, PromptCanary } from '../domain/prompt-rollouts';

export class DynamoDbPromptCanaries implements PromptCanaries {
  private readonly read = new Map<string, { at: number; canary: PromptCanary | undefined }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(prompt: string): Promise<PromptCanary | undefined> {
    const hit = this.read.get(prompt);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.canary;
    const canary = await this.fetch(prompt);
    this.read.set(prompt, { at: this.now(), canary });
    return canary;
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
