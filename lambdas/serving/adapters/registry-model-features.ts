/**
 * A model's registered feature list, read from its registry item's `mlops:features` tag (one
 * consistent GetItem; no registry code is involved, only its key layout from contracts/).
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { MODEL_FEATURES_TAG } from '../../../contracts/serving';
import { registryKeys } from '../../../contracts/tables';
import type { ModelFeatureList } from '../domain/ports';

export class RegistryModelFeatures implements ModelFeatureList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async featureRefs(modelName: string): Promise<string[] | undefined> {
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
