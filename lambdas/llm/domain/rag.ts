/**
 * Retrieval: documents (inline text, or text objects under a prefix of the artifacts bucket) cut
 * into overlapping word windows, each embedded with a hashed word
 * n-gram embedding (unigrams and bigrams, signed feature hashing, L2-normalized): deterministic,
 * no weights to download, the same on AWS and locally; retrieval is cosine top-k, ties by source
 * and chunk. Pure: no I/O.
 * @see https://en.wikipedia.org/wiki/Feature_hashing
 */
import { createHash } from 'node:crypto';
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
import { BadRequestError, NotFoundError } from '../../shared/errors';
import type { Actor } from './ports';

export const EMBEDDING_DIMENSIONS = 256;
export const EMBEDDING_NAME = `hashed-word-1-2-gram-${EMBEDDING_DIMENSIONS}`;

const terms = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

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

/** The text's embedding: each unigram and bigram hashed to a dimension and a sign, then L2-normalized. */
export function embed(text: string): Float32Array {
  const v = new Float32Array(EMBEDDING_DIMENSIONS);
  const t = terms(text);
  const features = [...t, ...t.slice(1).map((w, i) => `${t[i]} ${w}`)];
  for (const f of features) {
    const h = createHash('sha256').update(f).digest();
    v[h.readUInt32BE(0) % EMBEDDING_DIMENSIONS] += h[4] & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

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
}

/** Collections and their chunks. */
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
  chunks(collection: string): AsyncIterable<StoredChunk>;
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

export interface RagDeps {
  readonly index: VectorIndex;
  readonly now: () => Date;
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
    embedding: EMBEDDING_NAME,
    createdAt: deps.now().toISOString(),
    createdBy: actor.principal,
  };
  await deps.index.createCollection(collection);
  return collection;
}

/** The document's chunks, embedded; a 400 for a document without words or with too many chunks. */
export function documentChunks(collection: Collection, source: string, text: string): StoredChunk[] {
  const spans = chunkSpans(text, collection.chunking);
  if (spans.length === 0) throw new BadRequestError('INVALID_DOCUMENT', `document ${source} has no words`);
  if (spans.length > MAX_CHUNKS_PER_DOCUMENT) {
    throw new BadRequestError(
      'INVALID_DOCUMENT',
      `document ${source} makes ${spans.length} chunks; at most ${MAX_CHUNKS_PER_DOCUMENT} are accepted, split it`,
    );
  }
  return spans.map((c, chunk) => ({ source, chunk, ...c, vector: embed(c.text) }));
}

export async function requireCollection(deps: RagDeps, name: string): Promise<Collection> {
  const collection = await deps.index.getCollection(name);
  if (!collection) throw new CollectionNotFoundError(name);
  return collection;
}

export async function ingestDocument(
  deps: RagDeps,
  name: string,
  req: IngestDocumentRequest,
): Promise<IngestedDocument> {
  const collection = await requireCollection(deps, name);
  const chunks = documentChunks(collection, req.id, req.text);
  await deps.index.putDocument(name, req.id, chunks);
  return { collection: name, id: req.id, chunks: chunks.length };
}

/** The `k` chunks closest to the query, best first. */
export async function retrieve(deps: RagDeps, name: string, req: RetrieveRequest): Promise<Retrieval> {
  await requireCollection(deps, name);
  const q = embed(req.query);
  const best: RetrievedChunk[] = [];
  const order = (a: RetrievedChunk, b: RetrievedChunk) =>
    b.score - a.score || (a.source < b.source ? -1 : a.source > b.source ? 1 : a.chunk - b.chunk);
  for await (const c of deps.index.chunks(name)) {
    best.push({
      source: c.source,
      chunk: c.chunk,
      text: c.text,
      ...(c.start === undefined ? {} : { start: c.start, end: c.end }),
      score: cosine(q, c.vector),
    });
    if (best.length > req.k) {
      best.sort(order);
      best.pop();
    }
  }
  best.sort(order);
  return { collection: name, chunks: best };
}
