/**
 * The data-volume check's view of the pipeline table, all in the model's partition: its own state
 * item (created by the first check with one UpdateItem, `if_not_exists`, so concurrent first checks
 * agree on the time), the run lock and data-volume cool-down the gate writes, and the run records,
 * read newest first only as far as the newest run that trained.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { pipelineTableKeys } from '../../../contracts/tables';
import { type RunSummary, trainedChallenger } from '../domain/data-volume';
import type { DataVolumeCheckState, DataVolumeCheckStore } from '../domain/data-volume-check';

export interface DynamoDbDataVolumeChecksProps {
  readonly client: DynamoDBDocumentClient;
  readonly pipelineTable: string;
}

export class DynamoDbDataVolumeChecks implements DataVolumeCheckStore {
  constructor(private readonly props: DynamoDbDataVolumeChecksProps) {}

  async begin(modelName: string, now: Date): Promise<DataVolumeCheckState> {
    const out = await this.props.client.send(
      new UpdateCommand({
        TableName: this.props.pipelineTable,
        Key: pipelineTableKeys.dataVolumeCheck(modelName),
        UpdateExpression: 'SET firstCheckedAt = if_not_exists(firstCheckedAt, :now), kind = :kind',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':kind': 'DATA_VOLUME_CHECK' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = out.Attributes ?? {};
    return {
      firstCheckedAt: String(item.firstCheckedAt),
      ...(item.lastReport ? { lastReport: item.lastReport as DataVolumeCheckState['lastReport'] } : {}),
    };
  }

  async guards(modelName: string): Promise<{ lockExpiresAt?: number; cooldownExpiresAt?: number }> {
    const expiresAt = async (key: Record<string, string>) => {
      const out = await this.props.client.send(
        new GetCommand({
          TableName: this.props.pipelineTable,
          Key: key,
          ProjectionExpression: 'expiresAt',
          ConsistentRead: true,
        }),
      );
      return out.Item?.expiresAt as number | undefined;
    };
    const [lock, cooldown] = await Promise.all([
      expiresAt(pipelineTableKeys.lock(modelName)),
      expiresAt(pipelineTableKeys.cooldown(modelName, 'data-volume')),
    ]);
    return {
      ...(lock === undefined ? {} : { lockExpiresAt: lock }),
      ...(cooldown === undefined ? {} : { cooldownExpiresAt: cooldown }),
    };
  }

  async runsSinceLastTraining(modelName: string): Promise<RunSummary[]> {
    const runs: RunSummary[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.props.client.send(
        new QueryCommand({
          TableName: this.props.pipelineTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
          ExpressionAttributeValues: {
            ':pk': pipelineTableKeys.modelPartition(modelName),
            ':run': pipelineTableKeys.runPrefix,
          },
          // Run sort keys start with the start time: newest first.
          ScanIndexForward: false,
          // `metrics` is a reserved word.
          ProjectionExpression: 'startedAt, outcome, #metrics',
          ExpressionAttributeNames: { '#metrics': 'metrics' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const run = item as RunSummary;
        runs.push(run);
        if (trainedChallenger(run)) return runs;
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return runs;
  }

  async recordReport(
    modelName: string,
    report: NonNullable<DataVolumeCheckState['lastReport']>,
  ): Promise<void> {
    await this.props.client.send(
      new UpdateCommand({
        TableName: this.props.pipelineTable,
        Key: pipelineTableKeys.dataVolumeCheck(modelName),
        UpdateExpression: 'SET lastReport = :report',
        ExpressionAttributeValues: { ':report': report },
      }),
    );
  }
}
