/** Prompt bodies read from the registry's content-addressed artifacts. */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { PromptBodies } from '../domain/ports';

export class S3PromptBodies implements PromptBodies {
  constructor(private readonly s3: S3Client) {}

  async read(bucket: string, key: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return res.Body ? await res.Body.transformToByteArray() : undefined;
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }
}
