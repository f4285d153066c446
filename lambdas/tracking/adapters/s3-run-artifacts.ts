/**
 * Run artifacts in the platform bucket: ListObjectsV2 with a `/` delimiter for one directory
 * level, presigned PutObject and GetObject URLs for the bytes (HeadObject first, so a missing
 * file is a 404 rather than a URL that fails later).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { TRACKING_ARTIFACTS_PREFIX } from '../../../contracts/tracking';
import type { FileInfo } from '../../../contracts/tracking-responses';
import { BadRequestError, NotFoundError } from '../../shared/errors';
import type { ArtifactStore } from '../domain/ports';

const getSignedUrl: typeof import('@aws-sdk/s3-request-presigner').getSignedUrl = async (...args) =>
  (await import('@aws-sdk/s3-request-presigner')).getSignedUrl(...args);

/** The largest object read into the function's memory (a model registered from a run's artifact). */
const MAX_READ_BYTES = 512 * 1024 * 1024;

/** DeleteObject calls in flight at once when a directory is deleted. */
const DELETE_CONCURRENCY = 8;

export interface S3RunArtifactsProps {
  readonly client: S3Client;
  readonly bucket: string;
  /** @default 900 */
  readonly urlTtlSeconds?: number;
}

export class S3RunArtifacts implements ArtifactStore {
  public readonly root: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly ttl: number;

  constructor(props: S3RunArtifactsProps) {
    this.client = props.client;
    this.bucket = props.bucket;
    this.ttl = props.urlTtlSeconds ?? 900;
    this.root = `s3://${props.bucket}/${TRACKING_ARTIFACTS_PREFIX}`;
  }

  /** The object key of an `s3://` URI in the platform bucket. */
  private keyOf(uri: string): string {
    const prefix = `s3://${this.bucket}/`;
    if (!uri.startsWith(prefix))
      throw new BadRequestError('INVALID_URI', `${uri} is not in the platform bucket`);
    return uri.slice(prefix.length);
  }

  async list(uri: string, pageToken?: string): Promise<{ files: FileInfo[]; nextPageToken?: string }> {
    const prefix = `${this.keyOf(uri)}/`;
    const out = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        Delimiter: '/',
        ...(pageToken ? { ContinuationToken: pageToken } : {}),
      }),
    );
    const dirs = (out.CommonPrefixes ?? []).map((p) => ({
      path: p.Prefix!.slice(prefix.length, -1),
      is_dir: true,
    }));
    const files = (out.Contents ?? [])
      .filter((o) => o.Key !== prefix)
      .map((o) => ({ path: o.Key!.slice(prefix.length), is_dir: false, file_size: o.Size ?? 0 }));
    return {
      files: [...dirs, ...files].sort((a, b) => a.path.localeCompare(b.path)),
      ...(out.NextContinuationToken ? { nextPageToken: out.NextContinuationToken } : {}),
    };
  }

  async presignUpload(uri: string) {
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(uri) }),
      {
        expiresIn: this.ttl,
      },
    );
    return { url, headers: {} };
  }

  async read(uri: string): Promise<Uint8Array | undefined> {
    const Key = this.keyOf(uri);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      if ((out.ContentLength ?? 0) > MAX_READ_BYTES) {
        throw new BadRequestError('INVALID_VALUE', `${uri} is larger than ${MAX_READ_BYTES} bytes`);
      }
      return await out.Body!.transformToByteArray();
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return undefined;
      throw err;
    }
  }

  async presignDownload(uri: string) {
    const Key = this.keyOf(uri);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404)
        throw new NotFoundError('ARTIFACT_NOT_FOUND', `No artifact at ${uri}`, { cause: err });
      throw err;
    }
    const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key }), {
      expiresIn: this.ttl,
    });
    return { url, headers: {} };
  }

  async size(uri: string): Promise<number | undefined> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(uri) }),
      );
      return out.ContentLength ?? 0;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async write(uri: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(uri), Body: bytes }));
  }

  async createMultipart(uri: string, parts: number): Promise<{ uploadId: string; urls: string[] }> {
    const Key = this.keyOf(uri);
    const out = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }));
    const uploadId = out.UploadId!;
    const urls = await Promise.all(
      Array.from({ length: parts }, (_, i) =>
        getSignedUrl(
          this.client,
          new UploadPartCommand({ Bucket: this.bucket, Key, UploadId: uploadId, PartNumber: i + 1 }),
          { expiresIn: this.ttl },
        ),
      ),
    );
    return { uploadId, urls };
  }

  async completeMultipart(
    uri: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): Promise<void> {
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.keyOf(uri),
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    } catch (err) {
      throw multipartError(err, uploadId);
    }
  }

  /**
   * One DeleteObject per key, a few at a time: DeleteObjects would need a Content-MD5 or checksum
   * the local S3 stand-in does not check the same way, and a file's directory is rarely large.
   * The key itself and `key/...` only, so deleting `model` leaves `model2` alone (MLflow's S3
   * repository lists by the bare prefix and would take it too).
   */
  async deleteTree(uri: string): Promise<void> {
    const key = this.keyOf(uri);
    const remove = (Key: string) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    await remove(key);
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${key}/`,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      const keys = (out.Contents ?? []).map((o) => o.Key!);
      for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
        await Promise.all(keys.slice(i, i + DELETE_CONCURRENCY).map(remove));
      }
      token = out.NextContinuationToken;
    } while (token);
  }

  async abortMultipart(uri: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.keyOf(uri), UploadId: uploadId }),
      );
    } catch (err) {
      // The local S3 stand-in (s3rver) has no AbortMultipartUpload; its parts stay on disk, which
      // is all an abort would have removed, and the object was never made.
      if ((err as Error).name === 'MethodNotAllowed' || statusOf(err) === 405) return;
      throw multipartError(err, uploadId);
    }
  }
}

const statusOf = (err: unknown) =>
  (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** S3's refusals of a multipart call (no such upload, a wrong or small part) are the caller's 4xx. */
function multipartError(err: unknown, uploadId: string): unknown {
  const name = (err as Error).name;
  if (name === 'NoSuchUpload' || statusOf(err) === 404) {
    return new NotFoundError('ARTIFACT_NOT_FOUND', `No multipart upload ${uploadId}`, { cause: err });
  }
  if (
    ['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'MalformedXML'].includes(name) ||
    statusOf(err) === 400
  ) {
    return new BadRequestError('INVALID_VALUE', `S3 refused the parts of upload ${uploadId}: ${name}`, {
      cause: err,
    });
  }
  return err;
}
