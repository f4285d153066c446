/** The platform bucket for the pipeline: read any `s3://` object the role may read, write under its keys. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NotFoundError } from '../../shared/errors';
import type { ObjectStore } from '../domain/ports';

export class S3Objects implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    public readonly bucket: string,
  ) {}

  async get(uri: string): Promise<Uint8Array> {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!m) throw new NotFoundError('OBJECT_NOT_FOUND', `${uri} is not an s3:// URI`);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
      return await out.Body!.transformToByteArray();
    } catch (err) {
      if (err instanceof NoSuchKey || (err as Error).name === 'NoSuchKey') {
        throw new NotFoundError('OBJECT_NOT_FOUND', `no object at ${uri}`, { cause: err });
      }
      throw err;
    }
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<string> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
    return `s3://${this.bucket}/${key}`;
  }
}
