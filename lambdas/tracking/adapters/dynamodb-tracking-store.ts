/**
 * The tracking store on DynamoDB (`contracts/tables.ts` TRACKING_TABLE). A run is one item in its
 * experiment's partition, written whole and conditioned on its revision; its metric history is
 * its own partition of small items, appended with BatchWriteItem. Metric values are stored as
 * decimal strings: a double's shortest decimal form reads back as the same double, NaN and the
 * infinities included, none of which a DynamoDB number holds.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-sort-keys.html
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { trackingKeys } from '../../../contracts/tables';
import { isConditionFailure, isTransactionConflict } from '../../shared/dynamodb-errors';
import { BadRequestError } from '../../shared/errors';
import { decodePageToken, encodePageToken } from '../../shared/http';
import type { TrackingStore } from '../domain/ports';
import type { ExperimentRecord, LoggedModelRecord, MetricPoint, RunRecord } from '../domain/records';

export interface DynamoDbTrackingStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
}

/** BatchWriteItem takes at most 25 items; a few requests in flight keep one run's log fast. */
const BATCH_SIZE = 25;
const BATCHES_IN_FLIGHT = 4;

type Item = Record<string, unknown>;
type StoredMetric = { v: string; t: number; s: number };

const toStoredMetric = (m: Omit<MetricPoint, 'key'>): StoredMetric => ({
  v: String(m.value),
  t: m.timestamp,
  s: m.step,
});
const fromStoredMetric = (m: StoredMetric) => ({ value: Number(m.v), timestamp: m.t, step: m.s });

export class DynamoDbTrackingStore implements TrackingStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  /** Run id to experiment id: written once at creation, so safe to keep for the container's life. */
  private readonly experimentOfRun = new Map<string, string>();

  constructor(props: DynamoDbTrackingStoreProps) {
    this.client = props.client;
    this.table = props.table;
  }

  async nextExperimentId(): Promise<string> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: trackingKeys.experimentCounter,
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'next' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return String(Attributes?.next);
  }

  async createExperiment(e: ExperimentRecord): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...trackingKeys.experimentName(e.name), experimentId: e.experimentId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: experimentItem(e),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err) || isTransactionConflict(err)) return false;
      throw err;
    }
  }

  async getExperiment(experimentId: string): Promise<ExperimentRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: trackingKeys.experiment(experimentId),
        ConsistentRead: true,
      }),
    );
    return Item ? experimentRecord(Item) : undefined;
  }

  async experimentIdByName(name: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: trackingKeys.experimentName(name), ConsistentRead: true }),
    );
    return Item?.experimentId as string | undefined;
  }

  async listExperiments(): Promise<ExperimentRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': trackingKeys.experimentsPartition,
        ':prefix': trackingKeys.experimentPrefix,
      },
    });
    return items.map(experimentRecord);
  }

  async putExperiment(e: ExperimentRecord, expectedRev: number, previousName?: string): Promise<boolean> {
    const put = {
      TableName: this.table,
      Item: experimentItem(e),
      ConditionExpression: 'rev = :rev',
      ExpressionAttributeValues: { ':rev': expectedRev },
    };
    try {
      if (previousName === undefined) {
        await this.client.send(new PutCommand(put));
      } else {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              { Delete: { TableName: this.table, Key: trackingKeys.experimentName(previousName) } },
              {
                Put: {
                  TableName: this.table,
                  Item: { ...trackingKeys.experimentName(e.name), experimentId: e.experimentId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
      }
      return true;
    } catch (err) {
      if (isConditionFailure(err) || isTransactionConflict(err)) return false;
      throw err;
    }
  }

  async createRun(run: RunRecord): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...trackingKeys.runPointer(run.runId), experimentId: run.experimentId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: runItem(run),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    this.experimentOfRun.set(run.runId, run.experimentId);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    let experimentId = this.experimentOfRun.get(runId);
    if (experimentId === undefined) {
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.table, Key: trackingKeys.runPointer(runId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      experimentId = Item.experimentId as string;
      this.experimentOfRun.set(runId, experimentId);
    }
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: trackingKeys.run(experimentId, runId),
        ConsistentRead: true,
      }),
    );
    return Item ? runRecord(Item) : undefined;
  }

  async putRun(run: RunRecord, expectedRev: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: runItem(run),
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': expectedRev },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      if ((err as Error).name === 'ValidationException' && /size/i.test((err as Error).message)) {
        // DynamoDB's 400 KB item limit: one run's params, tags and latest metrics share an item.
        throw new BadRequestError(
          'INVALID_VALUE',
          `run ${run.runId} would exceed 400 KB of params, tags and metrics`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }

  async listRuns(experimentId: string): Promise<RunRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': trackingKeys.runsPartition(experimentId),
        ':prefix': trackingKeys.runPrefix,
      },
    });
    return items.map(runRecord);
  }

  async appendMetricPoints(runId: string, points: readonly MetricPoint[]): Promise<void> {
    // One BatchWriteItem may not name a key twice: the same point logged twice is one item anyway.
    const items = new Map<string, Item>();
    for (const p of points) {
      const key = trackingKeys.metricPoint(runId, p.key, p.step, p.timestamp, String(p.value));
      items.set(key.sk, { ...key, k: p.key, ...toStoredMetric(p) });
    }
    const batches: Item[][] = [];
    const all = [...items.values()];
    for (let i = 0; i < all.length; i += BATCH_SIZE) batches.push(all.slice(i, i + BATCH_SIZE));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.writeBatch(batches[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, worker));
  }

  /** Writes one batch, resending what DynamoDB left unprocessed with exponential backoff. */
  private async writeBatch(items: Item[]): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 10) throw new Error('metric points left unprocessed after 10 retries');
      const { UnprocessedItems } = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: requests } }),
      );
      requests = (UnprocessedItems?.[this.table] ?? []) as typeof requests;
    }
  }

  async metricHistory(
    runId: string,
    key: string,
    page: { readonly maxResults: number; readonly pageToken?: string },
  ): Promise<{ points: MetricPoint[]; nextPageToken?: string }> {
    const pk = trackingKeys.runPartition(runId);
    const prefix = trackingKeys.metricPrefix(key);
    const start = decodePageToken(page.pageToken);
    if (start && (start.pk !== pk || typeof start.sk !== 'string' || !start.sk.startsWith(prefix))) {
      throw new BadRequestError('INVALID_PAGE_TOKEN', 'page_token belongs to another run or metric');
    }
    const points: MetricPoint[] = [];
    let exclusiveStartKey = start;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ExclusiveStartKey: exclusiveStartKey,
          Limit: page.maxResults - points.length,
        }),
      );
      for (const item of out.Items ?? []) points.push({ key, ...fromStoredMetric(item as StoredMetric) });
      exclusiveStartKey = out.LastEvaluatedKey;
    } while (exclusiveStartKey && points.length < page.maxResults);
    return { points, ...(exclusiveStartKey ? { nextPageToken: encodePageToken(exclusiveStartKey) } : {}) };
  }

  async createLoggedModel(model: LoggedModelRecord): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...trackingKeys.loggedModelPointer(model.modelId), experimentId: model.experimentId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: loggedModelItem(model),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async getLoggedModel(modelId: string): Promise<LoggedModelRecord | undefined> {
    const pointer = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: trackingKeys.loggedModelPointer(modelId),
        ConsistentRead: true,
      }),
    );
    if (!pointer.Item) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: trackingKeys.loggedModel(pointer.Item.experimentId as string, modelId),
        ConsistentRead: true,
      }),
    );
    return Item ? loggedModelRecord(Item) : undefined;
  }

  async putLoggedModel(model: LoggedModelRecord, expectedRev: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: loggedModelItem(model),
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': expectedRev },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      if ((err as Error).name === 'ValidationException' && /size/i.test((err as Error).message)) {
        throw new BadRequestError(
          'INVALID_VALUE',
          `logged model ${model.modelId} would exceed 400 KB of params, tags and metrics`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async listLoggedModels(experimentId: string): Promise<LoggedModelRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': trackingKeys.runsPartition(experimentId),
        ':prefix': trackingKeys.loggedModelPrefix,
      },
    });
    return items.map(loggedModelRecord);
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({ ...input, TableName: this.table, ConsistentRead: true, ExclusiveStartKey }),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

function experimentItem(e: ExperimentRecord): Item {
  return { ...trackingKeys.experiment(e.experimentId), ...e };
}

function experimentRecord(item: Item): ExperimentRecord {
  return {
    experimentId: item.experimentId as string,
    name: item.name as string,
    artifactLocation: item.artifactLocation as string,
    lifecycleStage: item.lifecycleStage as ExperimentRecord['lifecycleStage'],
    creationTime: item.creationTime as number,
    lastUpdateTime: item.lastUpdateTime as number,
    tags: (item.tags ?? {}) as Record<string, string>,
    rev: item.rev as number,
  };
}

function runItem(run: RunRecord): Item {
  const metrics = Object.fromEntries(Object.entries(run.metrics).map(([k, m]) => [k, toStoredMetric(m)]));
  return { ...trackingKeys.run(run.experimentId, run.runId), ...run, metrics };
}

function runRecord(item: Item): RunRecord {
  const stored = (item.metrics ?? {}) as Record<string, StoredMetric>;
  return {
    runId: item.runId as string,
    experimentId: item.experimentId as string,
    runName: item.runName as string,
    userId: item.userId as string,
    status: item.status as RunRecord['status'],
    startTime: item.startTime as number,
    ...(item.endTime === undefined ? {} : { endTime: item.endTime as number }),
    artifactUri: item.artifactUri as string,
    lifecycleStage: item.lifecycleStage as RunRecord['lifecycleStage'],
    ...(item.deletedTime === undefined ? {} : { deletedTime: item.deletedTime as number }),
    params: (item.params ?? {}) as Record<string, string>,
    tags: (item.tags ?? {}) as Record<string, string>,
    metrics: Object.fromEntries(Object.entries(stored).map(([k, m]) => [k, fromStoredMetric(m)])),
    ...(item.outputs === undefined ? {} : { outputs: item.outputs as RunRecord['outputs'] }),
    rev: item.rev as number,
  };
}

/** A logged model's metric as stored: the value as a decimal string, like a run's. */
type StoredModelMetric = StoredMetric & { k: string; r: string; dn?: string; dd?: string };

function loggedModelItem(model: LoggedModelRecord): Item {
  const { metrics, ...rest } = model;
  return {
    ...trackingKeys.loggedModel(model.experimentId, model.modelId),
    ...rest,
    ...(metrics?.length
      ? {
          metrics: metrics.map(
            (m): StoredModelMetric => ({
              k: m.key,
              ...toStoredMetric(m),
              r: m.runId,
              ...(m.datasetName ? { dn: m.datasetName } : {}),
              ...(m.datasetDigest ? { dd: m.datasetDigest } : {}),
            }),
          ),
        }
      : {}),
  };
}

function loggedModelRecord(item: Item): LoggedModelRecord {
  const { pk: _pk, sk: _sk, metrics, ...rest } = item;
  const stored = (metrics ?? []) as StoredModelMetric[];
  return {
    params: {},
    tags: {},
    ...rest,
    ...(stored.length
      ? {
          metrics: stored.map((m) => ({
            key: m.k,
            ...fromStoredMetric(m),
            runId: m.r,
            ...(m.dn ? { datasetName: m.dn } : {}),
            ...(m.dd ? { datasetDigest: m.dd } : {}),
          })),
        }
      : {}),
  } as unknown as LoggedModelRecord;
}
