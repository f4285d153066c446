/**
 * Retrieval-augmented generation: document collections whose chunks are embedded and indexed,
 * an ingest route (one document, inline text, chunked as its collection declares) and a retrieve
 * route (top-k chunks with scores and sources).
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

export const CollectionName = lazySchema(() =>
  z
    .string()
    .regex(
      /^[a-z][a-z0-9_-]{0,63}$/,
      'must be 1-64 lowercase letters, digits, _ or -, starting with a letter',
    ),
);

/** How a collection cuts documents: windows of words, each overlapping the previous one. */
export const Chunking = lazySchema(() =>
  z
    .strictObject({
      maxWords: z.number().int().min(10).max(1000).default(200),
      overlapWords: z.number().int().min(0).max(500).default(40),
    })
    .refine((c) => c.overlapWords < c.maxWords, {
      message: 'overlapWords must be less than maxWords',
      path: ['overlapWords'],
    }),
);
export type Chunking = z.infer<typeof Chunking>;

export const CreateCollectionRequest = lazySchema(() =>
  z.strictObject({
    name: CollectionName,
    description: z.string().max(1024).default(''),
    chunking: Chunking.default({ maxWords: 200, overlapWords: 40 }),
  }),
);
export type CreateCollectionRequest = z.infer<typeof CreateCollectionRequest>;

/**
 * Chunks one document may have: its chunks are written in one transaction of at most 100 items,
 * with the collection's check and the document's item (a replaced document's surplus chunks are
 * deleted in the same transaction, in place of new ones).
 */
export const MAX_CHUNKS_PER_DOCUMENT = 98;

/**
 * Metadata keys of a chunk's vector in Amazon S3 Vectors that queries never filter on (only
 * `collection` is): declared non-filterable when the index is made, so a long source or text never
 * meets S3 Vectors' 2 KB limit on filterable metadata.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-limitations.html
 */
export const NON_FILTERABLE_VECTOR_METADATA = [
  'source',
  'chunk',
  'text',
  'start',
  'end',
  'generation',
] as const;

/** Characters of text one document may have. */
export const MAX_DOCUMENT_CHARS = 400_000;

/** Where a collection's documents are read from in the artifacts bucket (`POST .../imports`). */
export const LLM_DOCUMENTS_PREFIX = 'artifacts/llm-documents/';

/** The source an S3 object's chunks are given back under. */
export const s3Source = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

export const IngestDocumentRequest = lazySchema(() =>
  z.strictObject({
    /** The document's id, given back as the source of its chunks; a document is written once. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,255}$/, 'must be 1-256 letters, digits or _ . : / -')
      .refine((id) => !id.startsWith('s3:'), 's3: ids name S3 objects: import them with POST .../imports'),
    text: z.string().min(1).max(MAX_DOCUMENT_CHARS),
  }),
);
export type IngestDocumentRequest = z.infer<typeof IngestDocumentRequest>;

/**
 * Ingests the text objects under a prefix of the artifacts bucket, in key order, at most
 * `maxObjects` per call; `nextStartAfter` in the reply continues. An object already ingested at
 * the same version (its ETag) is left as it is; a changed one replaces its chunks.
 */
export const ImportDocumentsRequest = lazySchema(() =>
  z
    .strictObject({
      prefix: z
        .string()
        .max(1024)
        .refine((p) => p.startsWith(LLM_DOCUMENTS_PREFIX) && !p.includes('..'), {
          message: `must be a prefix under ${LLM_DOCUMENTS_PREFIX}`,
        }),
      /** A key: objects after it (as `nextStartAfter` gave it). */
      startAfter: z.string().min(1).max(1024).optional(),
      maxObjects: z.number().int().min(1).max(100).default(50),
    })
    .refine((r) => r.startAfter === undefined || r.startAfter.startsWith(r.prefix), {
      message: 'startAfter must be a key under prefix',
      path: ['startAfter'],
    }),
);
export type ImportDocumentsRequest = z.infer<typeof ImportDocumentsRequest>;

/** What became of one object: new, its chunks replaced, unchanged (same version), or refused and why. */
export interface ImportedObject {
  readonly source: string;
  readonly key: string;
  /** The object's ETag. */
  readonly version: string;
  readonly status: 'INGESTED' | 'REPLACED' | 'UNCHANGED' | 'REFUSED';
  readonly chunks?: number;
  readonly reason?: string;
}

export interface DocumentImport {
  readonly collection: string;
  readonly prefix: string;
  readonly documents: ImportedObject[];
  /** Present while objects remain under the prefix: pass it as `startAfter`. */
  readonly nextStartAfter?: string;
}

export const RetrieveRequest = lazySchema(() =>
  z.strictObject({
    query: z.string().min(1).max(10_000),
    k: z.number().int().min(1).max(20).default(4),
  }),
);
export type RetrieveRequest = z.infer<typeof RetrieveRequest>;

export interface Collection {
  readonly name: string;
  readonly description: string;
  readonly chunking: Chunking;
  /** The embedding the collection's vectors were made with. */
  readonly embedding: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface IngestedDocument {
  readonly collection: string;
  readonly id: string;
  readonly chunks: number;
}

export interface RetrievedChunk {
  readonly source: string;
  readonly chunk: number;
  readonly text: string;
  /** Where the chunk is in its document's text: first character, and one past its last. */
  readonly start?: number;
  readonly end?: number;
  /** Cosine similarity to the query, -1..1. */
  readonly score: number;
}

export interface Retrieval {
  readonly collection: string;
  readonly chunks: RetrievedChunk[];
}
