/**
 * The local vector index: collections, documents and chunks on the LLM table (the catalog's
 * partition per collection, one item per chunk with its text and its vector as binary float32).
 * A document's chunks are written in the catalog's transaction (a replaced S3 object's surplus
 * chunks deleted alongside); `nearest` reads the collection's chunks in pages and ranks them all by
 * cosine in the function: exact, for thousands of chunks. On AWS, S3 Vectors holds the vectors
 * (s3-vectors-index.ts).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { llmKeys } from '../../../contracts/tables';
import {
  type NearChunk,
  rankNearest,
  type StoredChunk,
  type StoredDocument,
  type VectorIndex,
} from '../domain/rag';
import { DynamoDbDocumentCatalog } from './dynamodb-document-catalog';

export class DynamoDbVectorIndex extends DynamoDbDocumentCatalog implements VectorIndex {
  async putDocument(
    collection: string,
    source: string,
    chunks: readonly StoredChunk[],
    options: { readonly version?: string; readonly replaces?: StoredDocument } = {},
  ): Promise<void> {
    const { version, replaces } = options;
    const surplus = Array.from(
      { length: Math.max(0, (replaces?.chunks ?? 0) - chunks.length) },
      (_, i) => chunks.length + i,
    );
    await this.commitDocument(
      collection,
      source,
      { chunks: chunks.length, ...(version === undefined ? {} : { version }) },
      replaces,
      [
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
    );
  }

  nearest(collection: string, query: Float32Array, k: number): Promise<NearChunk[]> {
    return rankNearest(this.chunks(collection), query, k);
  }

  private async *chunks(collection: string): AsyncIterable<StoredChunk> {
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
