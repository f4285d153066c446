/**
 * Usage records and the response cache on the LLM table. A usage record is put once under a fresh
 * id (a retried put writes the same item); a day's records share a partition, read in pages.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { UsageRecord } from '../../../contracts/llm';
import { llmKeys } from '../../../contracts/tables';
import type { ResponseCache } from '../domain/completions';
import type { ChatAnswer, UsageStore } from '../domain/ports';

export class DynamoDbLlmStore implements UsageStore, ResponseCache {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async put(record: UsageRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...llmKeys.usage(record.at.slice(0, 10), record.at, record.id), record },
      }),
    );
  }

  async listDay(day: string): Promise<UsageRecord[]> {
    const records: UsageRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': llmKeys.usageDay(day) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) records.push(item.record as UsageRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  async lookup(key: string): Promise<ChatAnswer | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: llmKeys.cache(key) }));
    // TTL deletion lags expiry by up to days: an expired entry is a miss however long it lingers.
    if (!res.Item || (res.Item.expiresAt as number) <= this.now().getTime() / 1000) return undefined;
    return res.Item.answer as ChatAnswer;
  }

  async store(key: string, answer: ChatAnswer, ttlSeconds: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...llmKeys.cache(key),
          answer,
          expiresAt: Math.floor(this.now().getTime() / 1000) + ttlSeconds,
        },
      }),
    );
  }
}
