/**
 * Feature view definitions on DynamoDB: the current definition (`CURRENT`) and an immutable copy
 * of every version (`VERSION#n`) in the view's partition, and the audit record in the Audit
 * table, all in one transaction, so an event is published exactly for the changes that commit.
 * A version number is the optimistic lock: an update or delete names the version it read.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FeatureViewAuditRecord } from '../../../contracts/events';
import type { FeatureView } from '../../../contracts/features';
import { FEATURE_REGISTRY_TABLE, FEATURE_VIEW_KIND, featureKeys } from '../../../contracts/tables';
import { isConditionFailure } from '../../shared/dynamodb-errors';
import { encodePageToken, readPage } from '../../shared/http';
import { transactWrite } from '../../shared/idempotent-effect';
import {
  FeatureViewAlreadyExistsError,
  FeatureViewNotFoundError,
  FeatureViewVersionConflictError,
} from '../domain/errors';
import type { FeatureViewStore, Page } from '../domain/ports';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface DynamoDbFeatureViewStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  readonly auditTable: string;
}

const strip = (item: Record<string, unknown>): FeatureView => {
  const { pk: _pk, sk: _sk, kind: _kind, ...view } = item;
  return view as FeatureView;
};

export class DynamoDbFeatureViewStore implements FeatureViewStore {
  constructor(private readonly props: DynamoDbFeatureViewStoreProps) {}

  private get db() {
    return this.props.client;
  }

  private auditPut(record: FeatureViewAuditRecord): TransactItem {
    return {
      Put: {
        TableName: this.props.auditTable,
        // The outbox publisher picks the event source from the action (`eventSourceOf`).
        Item: { ...featureKeys.audit(record.featureView, record.at, record.id), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /**
   * The copy of a version. Unconditional: the `CURRENT` item's condition already orders writers,
   * and a copy left by a deleted view of the same name (a cut-short cleanup) may be replaced.
   */
  private versionPut(view: FeatureView): TransactItem {
    return {
      Put: {
        TableName: this.props.table,
        Item: { ...featureKeys.viewVersion(view.name, view.version), ...view },
      },
    };
  }

  async create(view: FeatureView, audit: FeatureViewAuditRecord): Promise<void> {
    try {
      await transactWrite(this.db, [
        {
          Put: {
            TableName: this.props.table,
            Item: { ...featureKeys.view(view.name), kind: FEATURE_VIEW_KIND, ...view },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.versionPut(view),
        this.auditPut(audit),
      ]);
    } catch (err) {
      if (isConditionFailure(err))
        throw Object.assign(new FeatureViewAlreadyExistsError(view.name), { cause: err });
      throw err;
    }
  }

  async get(name: string): Promise<FeatureView | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.props.table, Key: featureKeys.view(name), ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : undefined;
  }

  async list(page: { limit: number; nextToken?: string }): Promise<Page<FeatureView>> {
    const out = await readPage(page.nextToken, (startKey) =>
      this.db.send(
        new QueryCommand({
          TableName: this.props.table,
          IndexName: FEATURE_REGISTRY_TABLE.globalSecondaryIndexes[0].indexName,
          KeyConditionExpression: '#kind = :kind',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':kind': FEATURE_VIEW_KIND },
          Limit: page.limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const nextToken = encodePageToken(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(strip), ...(nextToken ? { nextToken } : {}) };
  }

  async update(view: FeatureView, expectedVersion: number, audit: FeatureViewAuditRecord): Promise<void> {
    await this.conditionalOnVersion(view.name, expectedVersion, [
      {
        Put: {
          TableName: this.props.table,
          Item: { ...featureKeys.view(view.name), kind: FEATURE_VIEW_KIND, ...view },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      this.versionPut(view),
      this.auditPut(audit),
    ]);
  }

  async delete(name: string, expectedVersion: number, audit: FeatureViewAuditRecord): Promise<void> {
    await this.conditionalOnVersion(name, expectedVersion, [
      {
        Delete: {
          TableName: this.props.table,
          Key: featureKeys.view(name),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      { Delete: { TableName: this.props.table, Key: featureKeys.watermark(name) } },
      this.auditPut(audit),
    ]);
    // The version copies go after the commit (a transaction holds at most 100 items); the audit
    // records keep every definition, and a view created again under the name starts afresh.
    await this.deleteVersionCopies(name);
  }

  private async deleteVersionCopies(name: string): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.props.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': featureKeys.viewPartition(name), ':prefix': 'VERSION#' },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      const keys = (out.Items ?? []).map((i) => ({ pk: i.pk, sk: i.sk }));
      for (let i = 0; i < keys.length; i += 25) {
        let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
        for (let attempt = 0; requests.length > 0 && attempt < 8; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 50 * 2 ** attempt));
          const res = await this.db.send(
            new BatchWriteCommand({ RequestItems: { [this.props.table]: requests } }),
          );
          requests = (res.UnprocessedItems?.[this.props.table] ?? []) as typeof requests;
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }

  private async conditionalOnVersion(name: string, expected: number, items: TransactItem[]): Promise<void> {
    try {
      await transactWrite(this.db, items);
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const now = await this.get(name);
      if (!now) throw Object.assign(new FeatureViewNotFoundError(name), { cause: err });
      throw Object.assign(new FeatureViewVersionConflictError(name, expected, now.version), { cause: err });
    }
  }

  async getWatermark(name: string): Promise<number | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.props.table, Key: featureKeys.watermark(name), ConsistentRead: true }),
    );
    return out.Item ? Number(out.Item.watermarkMs) : undefined;
  }

  async advanceWatermark(name: string, watermarkMs: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.props.table,
          Key: featureKeys.watermark(name),
          UpdateExpression: 'SET watermarkMs = :w, updatedAt = :at',
          ConditionExpression: 'attribute_not_exists(watermarkMs) OR watermarkMs < :w',
          ExpressionAttributeValues: { ':w': watermarkMs, ':at': new Date().toISOString() },
        }),
      );
    } catch (err) {
      // A concurrent run already moved it as far or further: nothing to do.
      if (!isConditionFailure(err)) throw err;
    }
  }
}
