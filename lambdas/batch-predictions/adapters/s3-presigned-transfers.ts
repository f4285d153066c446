/**
 * Presigned transfers of a job's files: PUTs of inputs into the platform bucket, whose length and
 * type are signed headers, so S3 refuses a body of another size or a request without them (the
 * size the route checked is the size stored); and GETs of a job's output parts, listed in order.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InputUploads, OutputDownloads } from '../domain/ports';

/** The presigner, loaded on the first presign: the job routes never presign. */
const getSignedUrl: typeof import('@aws-sdk/s3-request-presigner').getSignedUrl = async (...args) =>
  (await import('@aws-sdk/s3-request-presigner')).getSignedUrl(...args);

export interface S3InputUploadsProps {
  readonly client: S3Client;
  readonly bucket: string;
  /** @default 900 */
  readonly urlTtlSeconds?: number;
}

export class S3InputUploads implements InputUploads {
  public readonly bucket: string;
  private readonly client: S3Client;
  private readonly ttl: number;

  constructor(props: S3InputUploadsProps) {
    this.client = props.client;
    this.bucket = props.bucket;
    this.ttl = props.urlTtlSeconds ?? 900;
  }

  async presignPut(input: { key: string; contentLength: number; contentType: string }) {
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ContentLength: input.contentLength,
        ContentType: input.contentType,
      }),
      { expiresIn: this.ttl, signableHeaders: new Set(['content-length', 'content-type']) },
    );
    return {
      url,
      headers: { 'content-length': String(input.contentLength), 'content-type': input.contentType },
      expiresAt: new Date(Date.now() + this.ttl * 1000).toISOString(),
    };
  }
}

export class S3OutputDownloads implements OutputDownloads {
  private readonly client: S3Client;
  private readonly ttl: number;

  constructor(props: { readonly client: S3Client /** @default 900 */; readonly urlTtlSeconds?: number }) {
    this.client = props.client;
    this.ttl = props.urlTtlSeconds ?? 900;
  }

  async listParts(bucket: string, prefix: string, limit: number, startAfter?: string) {
    const page = await this.client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        // Parts only: anything under a deeper prefix is not the job's output.
        Delimiter: '/',
        MaxKeys: limit,
        ...(startAfter ? { StartAfter: startAfter } : {}),
      }),
    );
    return {
      parts: (page.Contents ?? []).map((o) => ({ key: o.Key!, sizeBytes: Number(o.Size ?? 0) })),
      more: page.IsTruncated === true,
    };
  }

  async presignGet(bucket: string, key: string) {
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: this.ttl,
    });
    return { url, headers: {}, expiresAt: new Date(Date.now() + this.ttl * 1000).toISOString() };
  }
}
