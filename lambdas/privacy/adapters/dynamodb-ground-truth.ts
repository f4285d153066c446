/**
 * Ground-truth labels in the monitoring table (`LABELS#<model>`, sort key the inference id).
 */
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
}
