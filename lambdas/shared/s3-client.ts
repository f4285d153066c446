/**
 * The container's S3 client, apart from `clients.ts`: every function imports that, and S3's client
 * (its endpoint rules, checksums, XML protocol) is a fifth of a bundle. Only adapter modules a
 * function imports on demand (`lazyPort`) import this one, so a cold start loads no S3 code.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../contracts/env';
import { withTimeouts } from './clients';
import { traced } from './tracing';

let s3: S3Client | undefined;

export function s3Client(): S3Client {
  const local = process.env[ENV.s3Endpoint] || undefined;
  // Checksums only when S3 requires them: presigned URLs then carry no empty-body checksum and
  // the local S3 server stores streamed bodies without chunk framing.
  s3 ??= traced(
    new S3Client({
      ...withTimeouts('transfer'),
      endpoint: local,
      forcePathStyle: local !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
  return s3;
}
