/**
 * Artifacts on S3: presigned uploads that S3 itself checks (the declared sha256 is a signed
 * `x-amz-checksum-sha256` header, so S3 rejects other bytes; `If-None-Match: *` refuses to
 * overwrite an existing key), and a server-side hash of the stored object before a version
 * becomes READY, which holds even where a store does not enforce those headers.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { ArtifactStore, PresignedRequest } from '../domain/ports';

/**
 * The presigner, loaded on the first presign: the registry service is built in functions that
 * never presign (serving, monitoring), and they should not pay its load at cold start.
 */
const getSignedUrl: typeof import('@aws-sdk/s3-request-presigner').getSignedUrl = async (...args) =>
  (await import('@aws-sdk/s3-request-presigner')).getSignedUrl(...args);

export interface S3ArtifactStoreProps {
  readonly client: S3Client;
  readonly bucket: string;
  /** @default 900 */
  readonly urlTtlSeconds?: number;
}

export class S3ArtifactStore implements ArtifactStore {
  public readonly bucket: string;
  private readonly client: S3Client;
  private readonly ttl: number;

  constructor(props: S3ArtifactStoreProps) {
    this.client = props.client;
    this.bucket = props.bucket;
    this.ttl = props.urlTtlSeconds ?? 900;
  }

  async presignUpload(input: {
    key: string;
    sha256: string;
    sizeBytes: number;
    contentType: string;
  }): Promise<PresignedRequest> {
    const checksum = Buffer.from(input.sha256, 'hex').toString('base64');
    const headers = {
      'content-type': input.contentType,
      'x-amz-checksum-sha256': checksum,
      'if-none-match': '*',
    };
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ContentType: input.contentType,
        ChecksumSHA256: checksum,
        IfNoneMatch: '*',
      }),
      {
        expiresIn: this.ttl,
        // Kept as signed headers (not query parameters) so the client must send them and S3
        // verifies the body against the declared checksum.
        signableHeaders: new Set(['content-type', 'if-none-match']),
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      },
    );
    return { method: 'PUT', url, headers, expiresAt: this.expiry() };
  }

  async presignDownload(key: string): Promise<PresignedRequest> {
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: this.ttl,
    });
    return { method: 'GET', url, headers: {}, expiresAt: this.expiry() };
  }

  async putObject(input: {
    key: string;
    body: Uint8Array;
    sha256: string;
    contentType: string;
  }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        Body: input.body,
        ChecksumSHA256: Buffer.from(input.sha256, 'hex').toString('base64'),
        ContentType: input.contentType,
      }),
    );
  }

  async hashObject(key: string): Promise<{ sha256: string; sizeBytes: number } | undefined> {
    let body: Readable;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      body = out.Body as Readable;
    } catch (err) {
      if (
        err instanceof NoSuchKey ||
        (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)
      ) {
        return undefined;
      }
      throw err;
    }
    // Streamed, so a multi-GB artifact never sits in Lambda memory.
    const hash = createHash('sha256');
    let sizeBytes = 0;
    for await (const chunk of body) {
      hash.update(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), sizeBytes };
  }

  private expiry(): string {
    return new Date(Date.now() + this.ttl * 1000).toISOString();
  }
}
