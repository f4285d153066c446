/**
 * Collections and their documents on the LLM table: one partition per collection (its settings,
 * one item per document with its chunk count, version and generation). A document is committed in
 * one transaction, conditioned on the collection existing and the document not (or, for a
 * replaced S3 object, still at the version read), with whatever else the index writes alongside.
 * Both indexes build on it: the local one writes its chunk items in that transaction, the S3
 * Vectors one reads which generation of a document is live.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../../../contracts/llm-rag';
import { llmKeys } from '../../../contracts/tables';
import { conditional } from '../../shared/dynamodb-errors';
import { ConflictError } from '../../shared/errors';
import type { StoredDocument } from '../domain/rag';

/** One write of a transaction, as the document client takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Keys one BatchGetItem reads at most. */
const BATCH_GET_KEYS = 100;

const documentOf = (item: Record<string, unknown>): StoredDocument => ({
  chunks: item.chunks as number,
  ...(item.version === undefined ? {} : { version: item.version as string }),
  ...(item.generation === undefined ? {} : { generation: item.generation as string }),
});

export class DynamoDbDocumentCatalog {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async createCollection(collection: Collection): Promise<void> {
    await conditional(
      () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...llmKeys.collection(collection.name), collection },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      () => new ConflictError('COLLECTION_EXISTS', `collection ${collection.name} already exists`),
    );
  }

  async getCollection(name: string): Promise<Collection | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: llmKeys.collection(name), ConsistentRead: true }),
    );
    return res.Item?.collection as Collection | undefined;
  }

  async getDocument(collection: string, source: string): Promise<StoredDocument | undefined> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: llmKeys.document(collection, source),
        ConsistentRead: true,
      }),
    );
    return res.Item ? documentOf(res.Item) : undefined;
  }

  /** The documents of `sources` that exist, by source (strongly consistent, 100 keys a request). */
  async getDocuments(collection: string, sources: readonly string[]): Promise<Map<string, StoredDocument>> {
    const found = new Map<string, StoredDocument>();
    const unique = [...new Set(sources)];
    const sourceOf = new Map(unique.map((s) => [llmKeys.document(collection, s).sk, s]));
    for (let i = 0; i < unique.length; i += BATCH_GET_KEYS) {
      let keys: Array<Record<string, unknown>> | undefined = unique
        .slice(i, i + BATCH_GET_KEYS)
        .map((s) => llmKeys.document(collection, s));
      // Unprocessed keys (throttling) are read again until none is left.
      while (keys?.length) {
        const res: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) {
          found.set(sourceOf.get(item.sk as string) as string, documentOf(item));
        }
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  /**
   * Commits the document's item with `writes`, in one transaction. Without `replaces`, a document
   * already there is a 409; with it, the document must still be at the version `replaces` names.
   */
  async commitDocument(
    collection: string,
    source: string,
    document: StoredDocument,
    replaces: StoredDocument | undefined,
    writes: readonly TransactItem[],
  ): Promise<void> {
    const unchanged = replaces
      ? replaces.version === undefined
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)' }
        : {
            ConditionExpression: 'version = :replaced',
            ExpressionAttributeValues: { ':replaced': replaces.version },
          }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    await conditional(
      () =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: this.tableName,
                  Key: llmKeys.collection(collection),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...llmKeys.document(collection, source), ...document },
                  ...unchanged,
                },
              },
              ...writes,
            ],
          }),
        ),
      () =>
        new ConflictError(
          'DOCUMENT_EXISTS',
          replaces
            ? `document ${source} of collection ${collection} changed while it was replaced`
            : `collection ${collection} already has document ${source} (or was deleted meanwhile)`,
        ),
    );
  }
}
