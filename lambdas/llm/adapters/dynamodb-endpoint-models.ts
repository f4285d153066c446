/**
 * A Bedrock endpoint's served-model record and a running model rollout's split, in the LLM table.
 * Reads are kept `ttlMs` per endpoint in a container: a rollout step lasts minutes, and a call
 * should not cost two more reads (a rollout's tasks keep none: `ttlMs` 0). Reads are strongly
 * consistent, since the tasks' writes are conditioned on what they read. Writes are what a model
 * rollout's promotion, rollback and weight changes record.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { llmKeys } from '../../../contracts/tables';
import { conditional } from '../../shared/dynamodb-errors';
import { ConflictError } from '../../shared/errors';
import { TtlCache } from '../../shared/ttl-cache';
import type {
  EndpointModelRecords,
  ModelCanary,
  Replaces,
  ServedModelRecord,
} from '../domain/model-rollouts';

/** The condition that the item is still `current` (absent when none), on the fields that name it. */
function unchanged<T extends object>(
  current: T | undefined,
  fields: ReadonlyArray<keyof T & string>,
): {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  if (!current) return { ConditionExpression: 'attribute_not_exists(pk)' };
  return {
    ConditionExpression: fields.map((_, i) => `#f${i} = :f${i}`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(fields.map((f, i) => [`#f${i}`, f])),
    ExpressionAttributeValues: Object.fromEntries(fields.map((f, i) => [`:f${i}`, current[f]])),
  };
}

export class DynamoDbEndpointModels implements EndpointModelRecords {
  private readonly read: TtlCache<unknown>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    ttlMs = 5_000,
    now: () => number = Date.now,
  ) {
    this.read = new TtlCache(ttlMs, now);
  }

  /** These records read uncached (strongly consistent): what a rollout step wrote a moment ago. */
  fresh(): DynamoDbEndpointModels {
    return new DynamoDbEndpointModels(this.db, this.tableName, 0);
  }

  async served(endpoint: string): Promise<ServedModelRecord | undefined> {
    const item = (await this.get(llmKeys.servedModel(endpoint))) as
      | (ServedModelRecord & { pk: string; sk: string })
      | undefined;
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = item;
    return record;
  }

  async canary(endpoint: string): Promise<ModelCanary | undefined> {
    const item = (await this.get(llmKeys.modelCanary(endpoint))) as
      | (ModelCanary & { pk: string })
      | undefined;
    if (!item || item.challengerPercent <= 0) return undefined;
    return {
      deploymentId: item.deploymentId,
      candidate: item.candidate,
      challengerPercent: item.challengerPercent,
    };
  }

  /**
   * What a promotion or rollback decided the endpoint serves; with `replaces`, only if the record is
   * still the one read (ConflictError `CONCURRENT_MODIFICATION` otherwise).
   */
  async putServed(record: ServedModelRecord, replaces?: Replaces<ServedModelRecord>): Promise<void> {
    const Key = llmKeys.servedModel(record.endpoint);
    await this.write(record.endpoint, () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Key, ...record },
          ...(replaces ? unchanged(replaces.current, ['modelId', 'deploymentId', 'at']) : {}),
        }),
      ),
    );
    this.read.delete(JSON.stringify(Key));
  }

  /**
   * A rollout's split after a weight change; `undefined` when it ended (no candidate traffic). With
   * `replaces`, only if the split is still the one read.
   */
  async putCanary(
    endpoint: string,
    canary: ModelCanary | undefined,
    replaces?: Replaces<ModelCanary>,
  ): Promise<void> {
    const Key = llmKeys.modelCanary(endpoint);
    const condition = replaces
      ? unchanged(replaces.current, ['deploymentId', 'candidate', 'challengerPercent'])
      : {};
    await this.write(endpoint, () =>
      canary
        ? this.db.send(
            new PutCommand({ TableName: this.tableName, Item: { ...Key, ...canary }, ...condition }),
          )
        : this.db.send(new DeleteCommand({ TableName: this.tableName, Key, ...condition })),
    );
    this.read.delete(JSON.stringify(Key));
  }

  private write(endpoint: string, send: () => Promise<unknown>): Promise<unknown> {
    return conditional(
      send,
      () =>
        new ConflictError(
          'CONCURRENT_MODIFICATION',
          `the model records of LLM endpoint ${endpoint} changed while a rollout step wrote them`,
        ),
    );
  }

  private get(key: { pk: string; sk: string }): Promise<unknown> {
    return this.read.get(
      JSON.stringify(key),
      async () =>
        (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })))
          .Item,
    );
  }
}
