/**
 * Retrieval-augmented generation: document collections whose chunks are embedded and indexed,
 * an ingest route (one document, inline text, chunked as its collection declares) and a retrieve
 * route (top-k chunks with scores and sources).
 */
import * as z from 'zod';

export const CollectionName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, _ or -, starting with a letter');

/** How a collection cuts documents: windows of words, each overlapping the previous one. */
export const Chunking = z
  .strictObject({
    maxWords: z.number().int().min(10).max(1000).default(200),
    overlapWords: z.number().int().min(0).max(500).default(40),
  })
  .refine((c) => c.overlapWords < c.maxWords, {
    message: 'overlapWords must be less than maxWords',
    path: ['overlapWords'],
  });
export type Chunking = z.infer<typeof Chunking>;

export const CreateCollectionRequest = z.strictObject({
  name: CollectionName,
  description: z.string().max(1024).default(''),
  chunking: Chunking.default({ maxWords: 200, overlapWords: 40 }),
});
export type CreateCollectionRequest = z.infer<typeof CreateCollectionRequest>;

/** Chunks one document may have: its chunks are written in one transaction (100 items). */
export const MAX_CHUNKS_PER_DOCUMENT = 99;

export const IngestDocumentRequest = z.strictObject({
  /** The document's id, given back as the source of its chunks; a document is written once. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,255}$/, 'must be 1-256 letters, digits or _ . : / -'),
  text: z.string().min(1).max(400_000),
});
export type IngestDocumentRequest = z.infer<typeof IngestDocumentRequest>;

export const RetrieveRequest = z.strictObject({
  query: z.string().min(1).max(10_000),
  k: z.number().int().min(1).max(20).default(4),
});
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
  /** Cosine similarity to the query, -1..1. */
  readonly score: number;
}

export interface Retrieval {
  readonly collection: string;
  readonly chunks: RetrievedChunk[];
}
