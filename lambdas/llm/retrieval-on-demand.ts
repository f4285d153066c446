/**
 * Retrieval's AWS adapters (the S3 Vectors index, Titan embeddings on Bedrock) and their clients,
 * imported by `deps.ts` on a collection route's first call: a chunk of their own in the bundle, so
 * the prompt, chat, usage and evaluation routes do not load them. One client of each per container.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { S3VectorsClient } from '@aws-sdk/client-s3vectors';
import { withTimeouts } from '../shared/clients';
import { traced } from '../shared/tracing';
import { BedrockTitanEmbeddings } from './adapters/bedrock-titan-embeddings';
import type { DynamoDbDocumentCatalog } from './adapters/dynamodb-document-catalog';
import { S3VectorsIndex, type S3VectorsLocation } from './adapters/s3-vectors-index';

let s3Vectors: S3VectorsClient | undefined;
let bedrock: BedrockRuntimeClient | undefined;

/** Every collection's vectors in the one S3 Vectors index, their documents in `catalog`. */
export function s3VectorsIndex(location: S3VectorsLocation, catalog: DynamoDbDocumentCatalog) {
  s3Vectors ??= traced(new S3VectorsClient({ ...withTimeouts() }));
  return new S3VectorsIndex(s3Vectors, location, catalog);
}

/** Titan Text Embeddings V2 (`model`), asked for `dimensions` floats. */
export function titanEmbeddings(model: string, dimensions: number) {
  bedrock ??= traced(new BedrockRuntimeClient({ ...withTimeouts() }));
  return new BedrockTitanEmbeddings(bedrock, model, dimensions);
}
