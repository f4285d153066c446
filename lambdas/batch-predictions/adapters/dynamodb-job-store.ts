/**
 * Jobs in the batch predictions table, audit records in the Audit table (the event outbox). Each
 * status change is one TransactWriteItems with its audit record, conditioned on the status and
 * attempt it replaces, so a cancel racing a finish leaves exactly one of them and its event.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BatchPredictionStatus } from '../../../contracts/batch-predictions';
import type { AuditRecord } from '../../../contracts/events';
import type { Page } from '../../../contracts/pages';
import { BATCH_PREDICTIONS_TABLE, batchPredictionKeys } from '../../../contracts/tables';
import { auditPut, type TransactItem } from '../../shared/audit-outbox';
import { conditional } from '../../shared/dynamodb-errors';
import { ConflictError } from '../../shared/errors';
import { encodePageToken, readPage } from '../../shared/http';
import type { JobStore, StoredJob } from '../domain/ports';

export interface DynamoDbJobStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  readonly auditTable: string;
}

function fromItem(item: Record<string, unknown>): StoredJob {
  const { pk: _pk, sk: _sk, ...job } = item;
  return job as unknown as StoredJob;
}

export class DynamoDbJobStore implements JobStore {
  constructor(private readonly props: DynamoDbJobStoreProps) {}

  async create(job: StoredJob, audit: AuditRecord): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.props.table,
          Item: { ...batchPredictionKeys.job(job.jobId), ...job },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(this.props.auditTable, audit),
    ];
    await conditional(
      () => this.props.client.send(new TransactWriteCommand({ TransactItems: items })),
      () => new ConflictError('CONCURRENT_MODIFICATION', `batch prediction ${job.jobId} exists already`),
    );
  }

  async get(jobId: string): Promise<StoredJob | undefined> {
    const out = await this.props.client.send(
      new GetCommand({
        TableName: this.props.table,
        Key: batchPredictionKeys.job(jobId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async listByModel(modelName: string, limit: number, nextToken?: string): Promise<Page<StoredJob>> {
    const out = await readPage(nextToken, (start) =>
      this.props.client.send(
        new QueryCommand({
          TableName: this.props.table,
          IndexName: BATCH_PREDICTIONS_TABLE.globalSecondaryIndexes[0].indexName,
          KeyConditionExpression: 'modelName = :m',
          ExpressionAttributeValues: { ':m': modelName },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    const token = encodePageToken(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(fromItem), ...(token ? { nextToken: token } : {}) };
  }

  async transition(
    job: StoredJob,
    from: readonly BatchPredictionStatus[],
    attempt: number,
    audit?: AuditRecord,
  ): Promise<void> {
    const values: Record<string, unknown> = { ':attempt': attempt };
    from.forEach((s, i) => {
      values[`:from${i}`] = s;
    });
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.props.table,
          Item: { ...batchPredictionKeys.job(job.jobId), ...job },
          ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')}) AND attempt = :attempt`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        },
      },
      ...(audit ? [auditPut(this.props.auditTable, audit)] : []),
    ];
    await conditional(
      () => this.props.client.send(new TransactWriteCommand({ TransactItems: items })),
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `batch prediction ${job.jobId} changed meanwhile: it is no longer ${from.join(' or ')} at attempt ${attempt}`,
        ),
    );
  }
}
