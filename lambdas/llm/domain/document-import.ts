/**
 * Imports of a collection's documents from text objects under a prefix of the artifacts bucket.
 * Each object is one document, its source `s3://<bucket>/<key>`, chunked as the collection
 * declares; its version is its ETag. Re-importing an object at the version already indexed writes
 * nothing (no duplicate chunks); a changed object replaces its chunks in one transaction,
 * conditioned on the version it replaces. An object that cannot be a document (not UTF-8 text,
 * no words, too long) is refused with why, the others imported all the same.
 */
import {
  type Collection,
  type DocumentImport,
  type ImportDocumentsRequest,
  type ImportedObject,
  MAX_DOCUMENT_CHARS,
  s3Source,
} from '../../../contracts/llm-rag';
import { BadRequestError, PlatformError } from '../../shared/errors';
import type { EmbeddingCharge } from './embedding-usage';
import { type DocumentObjects, documentChunks, type RagDeps, requireCollection } from './rag';

/** UTF-8 takes at most 4 bytes a character: a larger object has more characters than accepted. */
const MAX_OBJECT_BYTES = 4 * MAX_DOCUMENT_CHARS;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function importDocuments(
  deps: RagDeps,
  charge: EmbeddingCharge,
  name: string,
  req: ImportDocumentsRequest,
): Promise<DocumentImport> {
  const objects = deps.objects;
  if (!objects) throw new Error('no document bucket is configured');
  const collection = await requireCollection(deps, name);
  const listed = await objects.list(req.prefix, req.startAfter, req.maxObjects);
  const documents: ImportedObject[] = [];
  for (const o of listed.objects) {
    documents.push(await importObject(deps, charge, objects, collection, o));
  }
  return {
    collection: name,
    prefix: req.prefix,
    documents,
    ...(listed.nextStartAfter ? { nextStartAfter: listed.nextStartAfter } : {}),
  };
}

async function importObject(
  deps: RagDeps,
  charge: EmbeddingCharge,
  objects: DocumentObjects,
  collection: Collection,
  listed: { key: string; version: string; sizeBytes: number },
): Promise<ImportedObject> {
  const source = s3Source(objects.bucket, listed.key);
  const base = { source, key: listed.key, version: listed.version };
  const name = collection.name;
  const stored = await deps.index.getDocument(name, source);
  if (stored?.version === listed.version) return { ...base, status: 'UNCHANGED', chunks: stored.chunks };
  const refused = (reason: string): ImportedObject => ({ ...base, status: 'REFUSED', reason });
  if (listed.sizeBytes > MAX_OBJECT_BYTES) {
    return refused(`${listed.sizeBytes} bytes; at most ${MAX_OBJECT_BYTES} are read`);
  }
  const read = await objects.read(listed.key);
  if (!read) return refused('deleted while imported');
  // The object read may be newer than the one listed: what is indexed is named by what was read.
  const version = read.version;
  if (stored?.version === version) return { ...base, version, status: 'UNCHANGED', chunks: stored.chunks };
  let text: string;
  try {
    text = utf8.decode(read.bytes);
  } catch {
    return { ...refused('not UTF-8 text'), version };
  }
  if (text.length > MAX_DOCUMENT_CHARS) {
    return { ...refused(`${text.length} characters; at most ${MAX_DOCUMENT_CHARS} are accepted`), version };
  }
  try {
    const chunks = await documentChunks(deps, charge, collection, source, text);
    await deps.index.putDocument(name, source, chunks, { version, ...(stored ? { replaces: stored } : {}) });
    return { ...base, version, status: stored ? 'REPLACED' : 'INGESTED', chunks: chunks.length };
  } catch (error) {
    // A document refused (400) or raced by another import (409) is this object's outcome only.
    if (error instanceof BadRequestError || (error instanceof PlatformError && error.status === 409)) {
      return { ...refused(error.message), version };
    }
    throw error;
  }
}
