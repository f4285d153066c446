/**
 * Embeddings: texts in, unit-length vectors and the input tokens counted out. One port with two
 * implementations: Amazon Bedrock's Titan Text Embeddings V2 on AWS
 * (adapters/bedrock-titan-embeddings.ts), and here the local stand-in, a hashed word n-gram
 * embedding (unigrams and bigrams, signed feature hashing, L2-normalized): real and deterministic,
 * with no weights to download, but lexical. Pure: no I/O.
 * @see https://en.wikipedia.org/wiki/Feature_hashing
 */
import { createHash } from 'node:crypto';

/** Vectors of the texts, in order, and the input tokens the backend counted for them. */
export interface Embedded {
  readonly vectors: Float32Array[];
  /** As the backend reports it (Titan's `inputTextTokenCount`, summed), never estimated. */
  readonly inputTokens: number;
}

/** Turns texts into vectors of `dimensions` floats, one per text, in order. */
export interface Embeddings {
  /**
   * Names the model and its size; each collection records the one it was made with, and is read
   * and written with no other (their vectors are not comparable).
   */
  readonly name: string;
  readonly dimensions: number;
  /** The model id its calls are recorded and priced under (the price table's key). */
  readonly model: string;
  /** `gen_ai.provider.name` of its calls. */
  readonly provider: string;
  embed(texts: readonly string[]): Promise<Embedded>;
}

export const EMBEDDING_DIMENSIONS = 256;
export const EMBEDDING_NAME = `hashed-word-1-2-gram-${EMBEDDING_DIMENSIONS}`;

/** The name a Bedrock embedding model's collections record: `bedrock:<model id>:<dimensions>`. */
export const bedrockEmbeddingName = (model: string, dimensions: number): string =>
  `bedrock:${model}:${dimensions}`;

const terms = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

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

/** `gen_ai.provider.name` of the local stand-in's calls. */
export const LOCAL_PROVIDER = 'local';

/**
 * The hashed word n-gram embedding behind the `Embeddings` port (local mode's stand-in). It has no
 * tokenizer of its own: `countTokens` counts its input as the local LLM stand-in does (o200k BPE),
 * so its calls are recorded and priced in real tokens.
 */
export const hashedNgramEmbeddings = (countTokens: (text: string) => Promise<number>): Embeddings => ({
  name: EMBEDDING_NAME,
  dimensions: EMBEDDING_DIMENSIONS,
  model: EMBEDDING_NAME,
  provider: LOCAL_PROVIDER,
  embed: async (texts) => ({
    vectors: texts.map(embed),
    inputTokens: (await Promise.all(texts.map(countTokens))).reduce((a, b) => a + b, 0),
  }),
});

/** Cosine similarity of two unit vectors: their dot product. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}
