/**
 * A model's registered feature list, read from its registry item's `mlops:features` tag (no
 * registry code is involved, only its key layout from contracts/). Cached per container for
 * `ttlMs`, so the predict hot path does not pay a GetItem per request; a changed tag takes effect
 * within that time.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { MODEL_FEATURES_TAG } from '../../../contracts/serving';
import { registryKeys } from '../../../contracts/tables';
import type { ModelFeatureList } from '../domain/ports';

export class RegistryModelFeatures implements ModelFeatureList {
  private readonly cache = new Map<string, { refs: string[] | undefined; at: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async featureRefs(modelName: string): Promise<string[] | undefined> {
    const hit = this.cache.get(modelName);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.refs;
    const refs = await this.read(modelName);
    this.cache.set(modelName, { refs, at: this.now() });
    return refs;
  }

  private async read(modelName: string): Promise<string[] | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: registryKeys.model(modelName),
        ProjectionExpression: 'tags',
      }),
    );
    const tag = (out.Item?.tags as Record<string, string> | undefined)?.[MODEL_FEATURES_TAG];
    const refs = tag
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    return refs && refs.length > 0 ? refs : undefined;
  }
}
