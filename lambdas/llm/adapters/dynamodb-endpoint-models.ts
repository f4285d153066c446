/**
 * A Bedrock endpoint's served-model record and a running model rollout's split, in the LLM table.
 * Reads are kept `ttlMs` per endpoint in a container: a rollout step lasts minutes, and a call
 * should not cost two more reads. Writes are what a model rollout's promotion, rollback and weight
 * changes record.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { llmKeys } from '../../../contracts/tables';
import { TtlCache } from '../../shared/ttl-cache';
import type { EndpointModels, ModelCanary, ServedModelRecord } from '../domain/model-rollouts';

export class DynamoDbEndpointModels implements EndpointModels {
  private readonly read: TtlCache<unknown>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    ttlMs = 5_000,
    now: () => number = Date.now,
  ) {
    this.read = new TtlCache(ttlMs, now);
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

  /** What a promotion or rollback decided the endpoint serves. */
  async putServed(record: ServedModelRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...llmKeys.servedModel(record.endpoint), ...record },
      }),
    );
    this.read.delete(JSON.stringify(llmKeys.servedModel(record.endpoint)));
  }

  /** A rollout's split after a weight change; `undefined` when it ended (no candidate traffic). */
  async putCanary(endpoint: string, canary: ModelCanary | undefined): Promise<void> {
    const Key = llmKeys.modelCanary(endpoint);
    if (canary)
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...Key, ...canary } }));
    else await this.db.send(new DeleteCommand({ TableName: this.tableName, Key }));
    this.read.delete(JSON.stringify(Key));
  }

  private get(key: { pk: string; sk: string }): Promise<unknown> {
    return this.read.get(
      JSON.stringify(key),
      async () => (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }))).Item,
    );
  }
}
