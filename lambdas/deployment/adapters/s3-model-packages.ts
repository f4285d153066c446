/**
 * Model packages for rollouts: the serving capability's packager (Triton layout, idempotent),
 * over the platform's artifacts bucket.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ensureModelPackage } from '../../serving';
import type { ModelPackages } from '../domain/ports';

export class S3ModelPackages implements ModelPackages {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  ensurePackage(input: { modelName: string; version: number; artifactKey: string }): Promise<string> {
    return ensureModelPackage(this.s3, { bucket: this.bucket, ...input });
  }
}
