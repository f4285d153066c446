/**
 * Retrieval: documents cut into overlapping word windows, each embedded with a hashed word
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

const words = (text: string) => text.match(/\S+/g) ?? [];
const terms = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/** Word windows of `maxWords`, each starting `maxWords - overlapWords` after the previous. */
export function chunkText(text: string, chunking: Chunking): string[] {
  const all = words(text);
  const step = chunking.maxWords - chunking.overlapWords;
  const chunks: string[] = [];
  for (let start = 0; start < all.length; start += step) {
    chunks.push(all.slice(start, start + chunking.maxWords).join(' '));
    if (start + chunking.maxWords >= all.length) break;
  }
  return chunks;
}

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
  readonly vector: Float32Array;
}

/** Collections and their chunks. */
export interface VectorIndex {
  createCollection(collection: Collection): Promise<void>;
  getCollection(name: string): Promise<Collection | undefined>;
  /** Writes the document's chunks at once; a document already there is a conflict. */
  putDocument(collection: string, source: string, chunks: readonly StoredChunk[]): Promise<void>;
  chunks(collection: string): AsyncIterable<StoredChunk>;
}

export interface RagDeps {
  readonly index: VectorIndex;
  readonly now: () => Date;
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

export async function ingestDocument(
  deps: RagDeps,
  name: string,
  req: IngestDocumentRequest,
): Promise<IngestedDocument> {
  const collection = await deps.index.getCollection(name);
  if (!collection) throw new CollectionNotFoundError(name);
  const texts = chunkText(req.text, collection.chunking);
  if (texts.length === 0) throw new BadRequestError('INVALID_DOCUMENT', `document ${req.id} has no words`);
  if (texts.length > MAX_CHUNKS_PER_DOCUMENT) {
    throw new BadRequestError(
      'INVALID_DOCUMENT',
      `document ${req.id} makes ${texts.length} chunks; at most ${MAX_CHUNKS_PER_DOCUMENT} are accepted, split it`,
    );
  }
  await deps.index.putDocument(
    name,
    req.id,
    texts.map((text, chunk) => ({ source: req.id, chunk, text, vector: embed(text) })),
  );
  return { collection: name, id: req.id, chunks: texts.length };
}

/** The `k` chunks closest to the query, best first. */
export async function retrieve(deps: RagDeps, name: string, req: RetrieveRequest): Promise<Retrieval> {
  if (!(await deps.index.getCollection(name))) throw new CollectionNotFoundError(name);
  const q = embed(req.query);
  const best: RetrievedChunk[] = [];
  const order = (a: RetrievedChunk, b: RetrievedChunk) =>
    b.score - a.score || (a.source < b.source ? -1 : a.source > b.source ? 1 : a.chunk - b.chunk);
  for await (const c of deps.index.chunks(name)) {
    best.push({ source: c.source, chunk: c.chunk, text: c.text, score: cosine(q, c.vector) });
    if (best.length > req.k) {
      best.sort(order);
      best.pop();
    }
  }
  best.sort(order);
  return { collection: name, chunks: best };
}
