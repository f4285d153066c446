/**
 * The vector index on AWS: every collection's chunk vectors in one Amazon S3 Vectors index (cosine,
 * float32), each with metadata `collection` (the one filterable key, which every query filters on)
 * and, non-filterable, its source, chunk number, text, offsets and generation. Collections and
 * documents stay in the DynamoDB catalog, whose transaction is the commit point.
 *
 * S3 Vectors and DynamoDB share no transaction, so a write never overwrites live vectors: each
 * write of a document puts its vectors under keys of a new generation first, then commits the
 * document's item naming that generation (conditioned as locally: a 409 deletes the vectors just
 * put), then deletes the replaced generation's vectors. A query keeps only hits of the generation
 * each document's item names, so vectors of a write that lost, or not yet deleted, never surface.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_S3VectorBuckets_QueryVectors.html
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  DeleteVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  type S3VectorsClient,
} from '@aws-sdk/client-s3vectors';
import type { Collection } from '../../../contracts/llm-rag';
import { logger } from '../../shared/logger';
import type { NearChunk, StoredChunk, StoredDocument, VectorIndex } from '../domain/rag';
import type { DynamoDbDocumentCatalog } from './dynamodb-document-catalog';

/** The vector bucket and index the platform's collections share. */
export interface S3VectorsLocation {
  readonly vectorBucketName: string;
  readonly indexName: string;
}

/** QueryVectors' largest `topK`. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-limitations.html */
const MAX_TOP_K = 100;
/** Vectors one DeleteVectors call takes at most (PutVectors takes 500; a document has at most 98 chunks). */
const MAX_DELETE_KEYS = 500;

/**
 * A vector's key: the document (hashed, as sources run to 1,000+ characters), the generation and
 * the chunk number, so a generation's keys follow from the document's item alone.
 */
export function vectorKey(collection: string, source: string, generation: string, chunk: number): string {
  const document = createHash('sha256').update(`${collection}\n${source}`).digest('hex').slice(0, 32);
  return `${document}:${generation}:${chunk}`;
}

interface Hit {
  readonly source: string;
  readonly generation: string;
  readonly chunk: NearChunk;
}

export class S3VectorsIndex implements VectorIndex {
  constructor(
    private readonly client: Pick<S3VectorsClient, 'send'>,
    private readonly location: S3VectorsLocation,
    private readonly catalog: DynamoDbDocumentCatalog,
    private readonly newGeneration: () => string = randomUUID,
  ) {}

  createCollection(collection: Collection): Promise<void> {
    return this.catalog.createCollection(collection);
  }

  getCollection(name: string): Promise<Collection | undefined> {
    return this.catalog.getCollection(name);
  }

  getDocument(collection: string, source: string): Promise<StoredDocument | undefined> {
    return this.catalog.getDocument(collection, source);
  }

  async putDocument(
    collection: string,
    source: string,
    chunks: readonly StoredChunk[],
    options: { readonly version?: string; readonly replaces?: StoredDocument } = {},
  ): Promise<void> {
    const { version, replaces } = options;
    const generation = this.newGeneration();
    const keys = chunks.map((c) => vectorKey(collection, source, generation, c.chunk));
    await this.client.send(
      new PutVectorsCommand({
        ...this.location,
        vectors: chunks.map((c, i) => ({
          key: keys[i],
          data: { float32: Array.from(c.vector) },
          metadata: {
            collection,
            source,
            chunk: c.chunk,
            text: c.text,
            generation,
            ...(c.start === undefined ? {} : { start: c.start, end: c.end }),
          },
        })),
      }),
    );
    const document = { chunks: chunks.length, generation, ...(version === undefined ? {} : { version }) };
    try {
      await this.catalog.commitDocument(collection, source, document, replaces, []);
    } catch (err) {
      await this.deleteQuietly(keys);
      throw err;
    }
    if (replaces?.generation) {
      const old = replaces.generation;
      await this.deleteQuietly(
        Array.from({ length: replaces.chunks }, (_, chunk) => vectorKey(collection, source, old, chunk)),
      );
    }
  }

  async nearest(collection: string, query: Float32Array, k: number): Promise<NearChunk[]> {
    // Twice k leaves room for hits of a generation being written or replaced, dropped below.
    const res = await this.client.send(
      new QueryVectorsCommand({
        ...this.location,
        queryVector: { float32: Array.from(query) },
        topK: Math.min(MAX_TOP_K, 2 * k),
        filter: { collection: { $eq: collection } },
        returnMetadata: true,
        returnDistance: true,
      }),
    );
    const hits = (res.vectors ?? []).flatMap((v): Hit[] => {
      const m = v.metadata as Record<string, unknown> | undefined;
      if (!m || typeof m.source !== 'string' || typeof m.generation !== 'string') return [];
      const chunk: NearChunk = {
        source: m.source,
        chunk: Number(m.chunk),
        text: String(m.text ?? ''),
        ...(m.start === undefined ? {} : { start: Number(m.start), end: Number(m.end) }),
        // S3 Vectors' cosine distance is 1 - cosine similarity.
        score: 1 - (v.distance ?? 1),
      };
      return [{ source: m.source, generation: m.generation, chunk }];
    });
    const live = await this.catalog.getDocuments(
      collection,
      hits.map((h) => h.source),
    );
    return hits
      .filter((h) => live.get(h.source)?.generation === h.generation)
      .slice(0, k)
      .map((h) => h.chunk);
  }

  /**
   * Deletes vectors no document names any more. A failure is logged, not raised: what they held
   * is already out of every answer (queries keep the live generation only).
   */
  private async deleteQuietly(keys: readonly string[]): Promise<void> {
    try {
      for (let i = 0; i < keys.length; i += MAX_DELETE_KEYS) {
        await this.client.send(
          new DeleteVectorsCommand({ ...this.location, keys: keys.slice(i, i + MAX_DELETE_KEYS) }),
        );
      }
    } catch (err) {
      logger.warn('S3 Vectors keys of a replaced or lost write not deleted', { err, keys: keys.length });
    }
  }
}
