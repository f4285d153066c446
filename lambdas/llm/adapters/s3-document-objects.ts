/**
 * Text objects of the artifacts bucket a collection imports: listed in key order (ListObjectsV2,
 * which gives each object's ETag, so an unchanged object is skipped without reading it) and read
 * whole. The ETag, without its quotes, is the object's version.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { DocumentObjects } from '../domain/rag';

const unquoted = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '');

export class S3DocumentObjects implements DocumentObjects {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async list(prefix: string, startAfter: string | undefined, max: number) {
    const res = await this.s3.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        MaxKeys: max,
        ...(startAfter ? { StartAfter: startAfter } : {}),
      }),
    );
    const objects = (res.Contents ?? [])
      // A key ending in / is a console "folder", not a document.
      .filter((o) => o.Key && !o.Key.endsWith('/'))
      .map((o) => ({ key: o.Key as string, version: unquoted(o.ETag), sizeBytes: o.Size ?? 0 }));
    const last = res.Contents?.[res.Contents.length - 1]?.Key;
    return { objects, ...(res.IsTruncated && last ? { nextStartAfter: last } : {}) };
  }

  async read(key: string) {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = await res.Body?.transformToByteArray();
      return { bytes: bytes ?? new Uint8Array(), version: unquoted(res.ETag) };
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}
