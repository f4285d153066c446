/**
 * Retrieval: documents (inline text, or text objects under a prefix of the artifacts bucket) cut
 * into overlapping word windows, each embedded (the `Embeddings` port: Titan on AWS, hashed word
 * n-grams locally) and indexed (the `VectorIndex` port: Amazon S3 Vectors on AWS, the LLM table
 * locally); retrieval is the index's `k` nearest by cosine, ties by source and chunk. Every
 * embedding call is recorded and priced (embedding-usage.ts). Pure: no I/O.
 */
import {
  type Chunking,
  type Collection,
  type CreateCollectionRequest,
  type IngestDocumentRequest,
  type IngestedDocument,
  MAX_CHUNKS_PER_DOCUMENT,
  type Retrieval,
  type RetrievedChunk,
  type RetrieveRequest,
} from '../../../contracts/llm-rag';
import { BadRequestError, ConflictError, NotFoundError } from '../../shared/errors';
import { type EmbeddingCharge, type EmbeddingUsageDeps, embedRecorded } from './embedding-usage';
import { cosine } from './embeddings';
import type { Actor } from './ports';

export { cosine, EMBEDDING_DIMENSIONS, EMBEDDING_NAME, embed } from './embeddings';

/** A chunk's text (its words, single-spaced) and where it lies in the document: `[start, end)`. */
export interface ChunkSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Word windows of `maxWords`, each starting `maxWords - overlapWords` after the previous. */
export function chunkSpans(text: string, chunking: Chunking): ChunkSpan[] {
  const all = [...text.matchAll(/\S+/g)];
  const step = chunking.maxWords - chunking.overlapWords;
  const chunks: ChunkSpan[] = [];
  for (let first = 0; first < all.length; first += step) {
    const window = all.slice(first, first + chunking.maxWords);
    const last = window[window.length - 1];
    chunks.push({
      text: window.map((m) => m[0]).join(' '),
      start: window[0].index,
      end: last.index + last[0].length,
    });
    if (first + chunking.maxWords >= all.length) break;
  }
  return chunks;
}

/** The chunks' texts alone. */
export const chunkText = (text: string, chunking: Chunking): string[] =>
  chunkSpans(text, chunking).map((c) => c.text);

export interface StoredChunk {
  readonly source: string;
  readonly chunk: number;
  readonly text: string;
  readonly start?: number;
  readonly end?: number;
  readonly vector: Float32Array;
}

/** A document as indexed: its chunk count and, for an S3 object, the version its chunks came from. */
export interface StoredDocument {
  readonly chunks: number;
  readonly version?: string;
  /**
   * The index's own name for the write that made the document's chunks (S3 Vectors keys its
   * vectors by it); given back unchanged in `replaces`.
   */
  readonly generation?: string;
}

/** A chunk found near a query, without its vector. */
export type NearChunk = Omit<StoredChunk, 'vector'> & { readonly score: number };

/** Collections, their documents, and their chunks' vectors, searched by nearness. */
export interface VectorIndex {
  createCollection(collection: Collection): Promise<void>;
  getCollection(name: string): Promise<Collection | undefined>;
  getDocument(collection: string, source: string): Promise<StoredDocument | undefined>;
  /**
   * Writes the document's chunks at once. Without `replaces`, a document already there is a
   * conflict; with it, the document must still be what `replaces` says (else a conflict), and
   * its chunks beyond the new ones are deleted.
   */
  putDocument(
    collection: string,
    source: string,
    chunks: readonly StoredChunk[],
    options?: { readonly version?: string; readonly replaces?: StoredDocument },
  ): Promise<void>;
  /** The `k` chunks of the collection nearest `query` by cosine similarity (`score`), best first. */
  nearest(collection: string, query: Float32Array, k: number): Promise<NearChunk[]>;
}

/** Text objects of the artifacts bucket that collections import. */
export interface DocumentObjects {
  readonly bucket: string;
  /**
   * Objects under `prefix` after `startAfter`, in key order, at most `max`; `nextStartAfter`
   * when others follow.
   */
  list(
    prefix: string,
    startAfter: string | undefined,
    max: number,
  ): Promise<{
    objects: Array<{ key: string; version: string; sizeBytes: number }>;
    nextStartAfter?: string;
  }>;
  /** The object's bytes and version; `undefined` once it is gone. */
  read(key: string): Promise<{ bytes: Uint8Array; version: string } | undefined>;
}

export interface RagDeps extends EmbeddingUsageDeps {
  readonly index: VectorIndex;
  /** @default - no imports from S3 */
  readonly objects?: DocumentObjects;
}

class CollectionNotFoundError extends NotFoundError {
  constructor(name: string) {
    super('COLLECTION_NOT_FOUND', `collection ${name} does not exist`);
    this.name = 'CollectionNotFoundError';
  }
}

export async function createCollection(
  deps: RagDeps,
  actor: Actor,
  req: CreateCollectionRequest,
): Promise<Collection> {
  const collection: Collection = {
    name: req.name,
    description: req.description,
    chunking: req.chunking,
    embedding: deps.embeddings.name,
    createdAt: deps.now().toISOString(),
    createdBy: actor.principal,
  };
  await deps.index.createCollection(collection);
  return collection;
}

/** The document's chunks, embedded; a 400 for a document without words or with too many chunks. */
export async function documentChunks(
  deps: RagDeps,
  charge: EmbeddingCharge,
  collection: Collection,
  source: string,
  text: string,
): Promise<StoredChunk[]> {
  const spans = chunkSpans(text, collection.chunking);
  if (spans.length === 0) throw new BadRequestError('INVALID_DOCUMENT', `document ${source} has no words`);
  if (spans.length > MAX_CHUNKS_PER_DOCUMENT) {
    throw new BadRequestError(
      'INVALID_DOCUMENT',
      `document ${source} makes ${spans.length} chunks; at most ${MAX_CHUNKS_PER_DOCUMENT} are accepted, split it`,
    );
  }
  const vectors = await embedRecorded(
    deps,
    charge,
    collection.name,
    spans.map((c) => c.text),
  );
  return spans.map((c, chunk) => ({ source, chunk, ...c, vector: vectors[chunk] }));
}

/** The collection; a 404 when there is none, a 409 when it was embedded by another model. */
export async function requireCollection(deps: RagDeps, name: string): Promise<Collection> {
  const collection = await deps.index.getCollection(name);
  if (!collection) throw new CollectionNotFoundError(name);
  if (collection.embedding !== deps.embeddings.name) {
    throw new ConflictError(
      'EMBEDDING_MISMATCH',
      `collection ${name} was embedded with ${collection.embedding}, the platform now embeds with ${deps.embeddings.name}: create a new collection`,
    );
  }
  return collection;
}

export async function ingestDocument(
  deps: RagDeps,
  charge: EmbeddingCharge,
  name: string,
  req: IngestDocumentRequest,
): Promise<IngestedDocument> {
  const collection = await requireCollection(deps, name);
  const chunks = await documentChunks(deps, charge, collection, req.id, req.text);
  await deps.index.putDocument(name, req.id, chunks);
  return { collection: name, id: req.id, chunks: chunks.length };
}

const byScore = (a: RetrievedChunk, b: RetrievedChunk) =>
  b.score - a.score || (a.source < b.source ? -1 : a.source > b.source ? 1 : a.chunk - b.chunk);

/** The `k` chunks closest to the query, best first. */
export async function retrieve(
  deps: RagDeps,
  charge: EmbeddingCharge,
  name: string,
  req: RetrieveRequest,
): Promise<Retrieval> {
  await requireCollection(deps, name);
  const [query] = await embedRecorded(deps, charge, name, [req.query]);
  const near = await deps.index.nearest(name, query, req.k);
  const chunks: RetrievedChunk[] = near.map((c) => ({
    source: c.source,
    chunk: c.chunk,
    text: c.text,
    ...(c.start === undefined ? {} : { start: c.start, end: c.end }),
    score: c.score,
  }));
  return { collection: name, chunks: chunks.sort(byScore).slice(0, req.k) };
}

/**
 * The `k` chunks nearest `query` by brute-force cosine over every chunk, best first: the local
 * index's search, exact, for collections of thousands of chunks rather than millions.
 */
export async function rankNearest(
  chunks: AsyncIterable<StoredChunk>,
  query: Float32Array,
  k: number,
): Promise<NearChunk[]> {
  const best: RetrievedChunk[] = [];
  for await (const { vector, ...c } of chunks) {
    best.push({ ...c, score: cosine(query, vector) });
    if (best.length > k) {
      best.sort(byScore);
      best.pop();
    }
  }
  return best.sort(byScore);
}
