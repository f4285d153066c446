/**
 * The LLM capability's S3 adapters (prompt bodies, evaluation datasets, documents to import),
 * imported by `deps.ts` on a request's first S3 read: the bundle holds this module and the S3
 * client in a chunk of their own, so the routes that read no S3 object do not load them.
 */
import { s3Client } from '../shared/s3-client';
import { S3DocumentObjects } from './adapters/s3-document-objects';
import { S3PromptBodies } from './adapters/s3-prompt-bodies';

export const promptBodies = () => new S3PromptBodies(s3Client());

export const documentObjects = (bucket: string) => new S3DocumentObjects(s3Client(), bucket);
