/**
 * Batch files in S3: output parts with their counts as object metadata, Parquet row groups read
 * with ranged GETs (only the group's column chunks and the footer travel), the model artifact
 * (read once per container), listings and the small JSON objects the state machine's steps share.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html
 */

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { NotFoundError } from '../../shared/errors';
import type { BatchFiles, PartCounts } from '../domain/worker';

/** Bytes read for a header: a CSV header longer than this is not one the platform writes or reads. */
const HEAD_BYTES = 64 * 1024;

/** The Parquet reader, imported by the first Parquet input: CSV and JSON Lines jobs never load it. */
const parquet = () => import('hyparquet');

const isMissing = (err: unknown) => ['NotFound', 'NoSuchKey'].includes((err as Error).name);

export class S3BatchFiles implements BatchFiles {
  constructor(private readonly client: S3Client) {}

  async partCounts(bucket: string, key: string): Promise<PartCounts | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { predicted: Number(head.Metadata?.predicted ?? 0), failed: Number(head.Metadata?.failed ?? 0) };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async writePart(bucket: string, key: string, body: string, counts: PartCounts): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: key.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson',
        Metadata: { predicted: String(counts.predicted), failed: String(counts.failed) },
      }),
    );
  }

  /** An AsyncBuffer over ranged GETs of one object. */
  async parquetFile(bucket: string, key: string): Promise<AsyncBuffer> {
    const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const byteLength = Number(head.ContentLength ?? 0);
    return {
      byteLength,
      slice: async (start: number, end?: number) => {
        const last = (end ?? byteLength) - 1;
        const got = await this.client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${last}` }),
        );
        const bytes = await got.Body!.transformToByteArray();
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
    };
  }

  /** Row counts of each row group of a Parquet object. */
  async rowGroups(bucket: string, key: string): Promise<number[]> {
    const { parquetMetadataAsync } = await parquet();
    const metadata = await parquetMetadataAsync(await this.parquetFile(bucket, key));
    return metadata.row_groups.map((g) => Number(g.num_rows));
  }

  async readRowGroup(bucket: string, key: string, rowGroup: number): Promise<Array<Record<string, unknown>>> {
    const { parquetMetadataAsync, parquetReadObjects } = await parquet();
    const file = await this.parquetFile(bucket, key);
    const metadata = await parquetMetadataAsync(file);
    let rowStart = 0;
    for (let g = 0; g < rowGroup; g++) rowStart += Number(metadata.row_groups[g].num_rows);
    const rowEnd = rowStart + Number(metadata.row_groups[rowGroup].num_rows);
    const rows = (await parquetReadObjects({ file, metadata, rowStart, rowEnd })) as Array<
      Record<string, unknown>
    >;
    // INT64 columns read as bigint, which JSON cannot write: a key column of them would fail its
    // batch. A safe integer becomes a number, a larger one its decimal text.
    for (const row of rows)
      for (const [name, v] of Object.entries(row))
        if (typeof v === 'bigint') row[name] = Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    return rows;
  }

  async readBytes(bucket: string, key: string): Promise<Uint8Array> {
    const got = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return got.Body!.transformToByteArray();
  }

  async readText(bucket: string, key: string): Promise<string> {
    const got = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return got.Body!.transformToString();
  }

  async readOptionalText(bucket: string, key: string): Promise<string | undefined> {
    try {
      return await this.readText(bucket, key);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /** Each non-empty line of an object from its body stream: memory holds a chunk and a line. */
  async eachLine(bucket: string, key: string, onLine: (line: string) => void | Promise<void>): Promise<void> {
    const got = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const lines = createInterface({ input: got.Body as Readable, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) if (line.trim() !== '') await onLine(line);
  }

  async hasObjects(bucket: string, prefix: string): Promise<boolean> {
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }),
    );
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
  }

  /**
   * The first line of an object (a CSV header), from one ranged GET of its first 64 KiB.
   * @throws NotFoundError `OBJECT_NOT_FOUND` when there is no such object
   */
  async firstLine(bucket: string, key: string): Promise<string> {
    try {
      const got = await this.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${HEAD_BYTES - 1}` }),
      );
      return (await got.Body!.transformToString()).split(/\r?\n/, 1)[0];
    } catch (err) {
      if (isMissing(err)) throw new NotFoundError('OBJECT_NOT_FOUND', `no object at s3://${bucket}/${key}`);
      throw err;
    }
  }

  async writeText(
    bucket: string,
    key: string,
    body: string,
    contentType = 'application/json',
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async writeBytes(bucket: string, key: string, body: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  /** Every object key under a prefix, in key order. */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter((k) => !k.endsWith('/')));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}
