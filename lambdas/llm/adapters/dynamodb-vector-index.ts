/**
 * Collections and their chunks on the LLM table: one partition per collection (its settings, one
 * item per document, one per chunk with its vector as binary float32). A document's chunks are
 * written in one transaction, conditioned on the collection existing and the document not (or, for
 * a replaced S3 object, still at the version read, its surplus chunks deleted alongside); a
 * retrieval reads the collection's chunks in pages and ranks them in the function.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Collection } from '../../../contracts/llm-rag';
import { llmKeys } from '../../../contracts/tables';
import { conditional } from '../../shared/dynamodb-errors';
import { ConflictError } from '../../shared/errors';
import type { StoredChunk, StoredDocument, VectorIndex } from '../domain/rag';

export class DynamoDbVectorIndex implements VectorIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
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
    if (!res.Item) return undefined;
    const version = res.Item.version as string | undefined;
    return { chunks: res.Item.chunks as number, ...(version === undefined ? {} : { version }) };
  }

  async putDocument(
    collection: string,
    source: string,
    chunks: readonly StoredChunk[],
    options: { readonly version?: string; readonly replaces?: StoredDocument } = {},
  ): Promise<void> {
    const { version, replaces } = options;
    // The document's item is put conditioned on what it replaces: nothing, or the version read.
    const unchanged = replaces
      ? replaces.version === undefined
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)' }
        : {
            ConditionExpression: 'version = :replaced',
            ExpressionAttributeValues: { ':replaced': replaces.version },
          }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    const surplus = Array.from(
      { length: Math.max(0, (replaces?.chunks ?? 0) - chunks.length) },
      (_, i) => chunks.length + i,
    );
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
                  Item: {
                    ...llmKeys.document(collection, source),
                    chunks: chunks.length,
                    ...(version === undefined ? {} : { version }),
                  },
                  ...unchanged,
                },
              },
              ...chunks.map((c) => ({
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...llmKeys.chunk(collection, source, c.chunk),
                    source,
                    chunk: c.chunk,
                    text: c.text,
                    ...(c.start === undefined ? {} : { start: c.start, end: c.end }),
                    vector: new Uint8Array(c.vector.buffer, c.vector.byteOffset, c.vector.byteLength),
                  },
                },
              })),
              ...surplus.map((chunk) => ({
                Delete: { TableName: this.tableName, Key: llmKeys.chunk(collection, source, chunk) },
              })),
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

  async *chunks(collection: string): AsyncIterable<StoredChunk> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunk)',
          ExpressionAttributeValues: {
            ':pk': llmKeys.collectionPartition(collection),
            ':chunk': llmKeys.chunkPrefix,
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const bytes = item.vector as Uint8Array;
        // A copy: the SDK's buffer may be unaligned for a Float32Array view.
        const vector = new Float32Array(Uint8Array.from(bytes).buffer);
        yield {
          source: item.source,
          chunk: item.chunk,
          text: item.text,
          ...(item.start === undefined ? {} : { start: item.start, end: item.end }),
          vector,
        };
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
