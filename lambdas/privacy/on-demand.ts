/**
 * The privacy adapters a cold start should not load: capture files on S3 and the Lambda client
 * launching the erasure worker. `deps.ts` imports this module on first use (`lazyPort`).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { ENV } from '../../contracts/env';
import { lazySchema } from '../../contracts/lazy-schema';
import { DEFAULT_CAPTURE_PREFIX } from '../../contracts/monitoring-names';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import {
  type ErasureWorkerEvent,
  InProcessErasureLauncher,
  LambdaErasureLauncher,
} from './adapters/launchers';
import { S3CaptureFiles } from './adapters/s3-capture-files';
import { S3FoundInferenceIds } from './adapters/s3-found-inference-ids';

/** The prefixes the stack names, else serving's own. */
export const captureFiles = (bucket: string) =>
  new S3CaptureFiles({
    client: s3Client(),
    bucket,
    prefixes: CapturePrefixes.parse(JSON.parse(process.env[ENV.privacyCapturePrefixes] ?? '[]')),
  });

/** The inference ids erasure runs find, kept in the artifacts bucket off their records. */
export const foundInferenceIds = (bucket: string) => new S3FoundInferenceIds({ client: s3Client(), bucket });

const CapturePrefixes = lazySchema(() =>
  z
    .array(z.string().min(1))
    .transform((prefixes) => (prefixes.length > 0 ? prefixes : [DEFAULT_CAPTURE_PREFIX])),
);

export const lambdaLauncher = (functionName: string) =>
  new LambdaErasureLauncher({
    client: traced(new LambdaClient({ endpoint: process.env[ENV.lambdaEndpoint] || undefined })),
    functionName,
  });

export const inProcessLauncher = (worker: (event: ErasureWorkerEvent) => Promise<unknown>) =>
  new InProcessErasureLauncher(worker);
