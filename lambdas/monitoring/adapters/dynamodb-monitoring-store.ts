/**
 * `MonitoringStore` on the Monitoring table: conditional watermark moves, the per-model report
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
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { monitoringTableKeys } from '../../../contracts/tables';
import { ConflictError } from '../../shared/errors';
import { decodePageToken, encodePageToken } from '../../shared/http';
import type { MonitoringStore, Page, ReportEntry } from '../domain/ports';

const BATCH_WRITE = 25;
const BATCH_GET = 100;
const MAX_BATCH_ATTEMPTS = 8;

export class DynamoDbMonitoringStore implements MonitoringStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getWatermark(modelName: string, stream: string): Promise<string | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: monitoringTableKeys.watermark(modelName, stream),
        ConsistentRead: true,
      }),
    );
    return out.Item?.lastKey as string | undefined;
  }

  async advanceWatermark(
    modelName: string,
    stream: string,
    expected: string | undefined,
    next: string,
  ): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...monitoringTableKeys.watermark(modelName, stream), lastKey: next },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'lastKey = :expected',
                ExpressionAttributeValues: { ':expected': expected },
              }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new ConflictError(
          'CHECK_IN_PROGRESS',
          `another check of ${modelName} (${stream}) claimed this window`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }

  async putReport(entry: ReportEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...monitoringTableKeys.report(entry.modelName, entry.createdAt, entry.reportId), ...entry },
      }),
    );
  }

  async listReports(
    modelName: string,
    page: { limit: number; nextToken?: string },
  ): Promise<Page<ReportEntry>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': monitoringTableKeys.modelPartition(modelName),
          ':prefix': monitoringTableKeys.reportPrefix,
        },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodePageToken(page.nextToken),
      }),
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
