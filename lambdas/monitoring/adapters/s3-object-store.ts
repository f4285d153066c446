/**
 * `ObjectStore` on S3: the platform bucket for profiles, reports and run shards, and reads of
 * capture files and training data.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectEntry, ObjectStore } from '../domain/ports';

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    public readonly bucket: string,
  ) {}

  async getBytes(key: string, bucket = this.bucket): Promise<Uint8Array | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body!.transformToByteArray();
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async list(
    prefix: string,
    options: { startAfter?: string; limit?: number; bucket?: string } = {},
  ): Promise<ObjectEntry[]> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const out: ObjectEntry[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: options.bucket ?? this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          // StartAfter is ignored by S3 once a continuation token is given.
          ...(token === undefined && options.startAfter ? { StartAfter: options.startAfter } : {}),
          MaxKeys: Math.min(1000, limit - out.length),
        }),
      );
      for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && out.length < limit);
    return out;
  }
}
