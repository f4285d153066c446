/**
 * `MonitoringStore` on the Monitoring table: leased, conditional watermark moves, the per-model report
 * index (queried newest first) and ground-truth labels (BatchWrite/BatchGet, unprocessed items
 * retried).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../../contracts/events';
import { monitoringTableKeys } from '../../../contracts/tables';
import { auditPut } from '../../shared/audit-outbox';
import { ConflictError } from '../../shared/errors';
import { encodePageToken, readPage } from '../../shared/http';
import { commitEffect, transactWrite } from '../../shared/idempotent-effect';
import type { MonitoringStore, Page, ReportEntry, WindowState } from '../domain/ports';

const BATCH_WRITE = 25;
const BATCH_GET = 100;
const MAX_BATCH_ATTEMPTS = 8;

export class DynamoDbMonitoringStore implements MonitoringStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    /** The audit trail, the outbox a report's event is written to. */
    private readonly auditTable?: string,
  ) {}

  async getWatermark(modelName: string, stream: string): Promise<WindowState> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: monitoringTableKeys.watermark(modelName, stream),
        ConsistentRead: true,
      }),
    );
    return {
      ...(out.Item?.lastKey ? { lastKey: out.Item.lastKey as string } : {}),
      ...(out.Item?.pending ? { pending: out.Item.pending as WindowState['pending'] } : {}),
    };
  }

  async claimWindow(
    modelName: string,
    stream: string,
    claim: { expectedLastKey?: string; runId: string; toKey: string; leaseUntil: string; now: string },
  ): Promise<void> {
    const free = '(attribute_not_exists(#pending) OR #pending.leaseUntil < :now)';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: monitoringTableKeys.watermark(modelName, stream),
          UpdateExpression: 'SET #pending = :pending',
          ConditionExpression:
            claim.expectedLastKey === undefined
              ? `attribute_not_exists(lastKey) AND ${free}`
              : `lastKey = :expected AND ${free}`,
          ExpressionAttributeNames: { '#pending': 'pending' },
          ExpressionAttributeValues: {
            ':pending': { runId: claim.runId, toKey: claim.toKey, leaseUntil: claim.leaseUntil },
            ':now': claim.now,
            ...(claim.expectedLastKey === undefined ? {} : { ':expected': claim.expectedLastKey }),
          },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          'CHECK_IN_PROGRESS',
          `another check of ${modelName} (${stream}) holds this window`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }

  async commitWindow(modelName: string, stream: string, runId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: monitoringTableKeys.watermark(modelName, stream),
          UpdateExpression: 'SET lastKey = #pending.toKey REMOVE #pending',
          ConditionExpression: '#pending.runId = :runId',
          ExpressionAttributeNames: { '#pending': 'pending' },
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
    } catch (err) {
      // Committed already (a retried merge step), or the lease was taken over after expiring:
      // either way this run has nothing more to move.
      if (err instanceof ConditionalCheckFailedException) return;
      throw err;
    }
  }

  async putReport(entry: ReportEntry, event?: AuditRecord): Promise<void> {
    // With a keyed request's idempotency record: the report is indexed with its key or not at all
    // (its S3 objects, written first under a new id, are unreachable without the index entry).
    // Its event is the audit record beside it, which the outbox publishes once committed.
    if (event && !this.auditTable) throw new Error('the monitoring store was given no audit table');
    await transactWrite(this.client, [
      {
        Put: {
          TableName: this.table,
          Item: { ...monitoringTableKeys.report(entry.modelName, entry.createdAt, entry.reportId), ...entry },
        },
      },
      ...(event && this.auditTable ? [auditPut(this.auditTable, event)] : []),
    ]);
  }

  async listReports(
    modelName: string,
    page: { limit: number; nextToken?: string },
  ): Promise<Page<ReportEntry>> {
    const out = await readPage(page.nextToken, (startKey) =>
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': monitoringTableKeys.modelPartition(modelName),
            ':prefix': monitoringTableKeys.reportPrefix,
          },
          ScanIndexForward: false,
          Limit: page.limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const items = (out.Items ?? []).map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as ReportEntry);
    const nextToken = encodePageToken(out.LastEvaluatedKey);
    return { items, ...(nextToken ? { nextToken } : {}) };
  }

  async putLabels(
    modelName: string,
    labels: ReadonlyArray<{ inferenceId: string; label: number | string }>,
    at: string,
  ): Promise<void> {
    // The last label of an id in one request wins, as a later request's would.
    const byId = new Map(labels.map((l) => [l.inferenceId, l.label]));
    const requests = [...byId].map(([inferenceId, label]) => ({
      PutRequest: { Item: { ...monitoringTableKeys.label(modelName, inferenceId), label, at } },
    }));
    for (let i = 0; i < requests.length; i += BATCH_WRITE) {
      let pending: typeof requests | undefined = requests.slice(i, i + BATCH_WRITE);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('DynamoDB left label writes unprocessed');
        const out = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.table]: pending } }),
        );
        pending = out.UnprocessedItems?.[this.table] as typeof requests | undefined;
      }
    }
    // A keyed request's record commits after its labels: a retry after a crash in between puts
    // the same labels again (the same state) and commits it then.
    await commitEffect(this.client);
  }

  async getLabels(modelName: string, inferenceIds: readonly string[]): Promise<Map<string, number | string>> {
    const found = new Map<string, number | string>();
    const ids = [...new Set(inferenceIds)];
    for (let i = 0; i < ids.length; i += BATCH_GET) {
      let keys: Record<string, unknown>[] | undefined = ids
        .slice(i, i + BATCH_GET)
        .map((id) => monitoringTableKeys.label(modelName, id));
      for (let attempt = 0; keys?.length; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error('DynamoDB left label reads unprocessed');
        const out: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        for (const item of out.Responses?.[this.table] ?? [])
          found.set(item.sk as string, item.label as number | string);
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }
}
