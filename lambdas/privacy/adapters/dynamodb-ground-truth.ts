/**
 * Ground-truth labels in the monitoring table (`LABELS#<model>`, sort key the inference id).
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { monitoringTableKeys } from '../../../contracts/tables';
import type { GroundTruth } from '../domain/ports';

export class DynamoDbGroundTruth implements GroundTruth {
  constructor(private readonly props: { client: DynamoDBDocumentClient; table: string }) {}

  async delete(modelName: string, inferenceIds: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const id of new Set(inferenceIds)) {
      const out = await this.props.client.send(
        new DeleteCommand({
          TableName: this.props.table,
          Key: monitoringTableKeys.label(modelName, id),
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (out.Attributes) deleted++;
    }
    return deleted;
  }

  async existing(modelName: string, inferenceIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(inferenceIds)];
    const found: string[] = [];
    // BatchGetItem takes 100 keys; keys it leaves unprocessed are asked again.
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids
        .slice(i, i + 100)
        .map((id) => monitoringTableKeys.label(modelName, id));
      for (let attempt = 0; keys?.length; attempt++) {
        if (attempt >= 8) throw new Error('DynamoDB left ground-truth reads unprocessed');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const out: BatchGetCommandOutput = await this.props.client.send(
          new BatchGetCommand({
            RequestItems: { [this.props.table]: { Keys: keys, ProjectionExpression: 'sk' } },
          }),
        );
        for (const item of out.Responses?.[this.props.table] ?? []) found.push(String(item.sk));
        keys = out.UnprocessedKeys?.[this.props.table]?.Keys;
      }
    }
    return found;
  }
}
