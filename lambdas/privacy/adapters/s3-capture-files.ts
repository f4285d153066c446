/**
 * SageMaker data-capture files (JSON Lines) under the capture prefixes of the artifacts bucket
 * (serving's own, and monitoring's when it reads capture written elsewhere).
 * A rewrite is one PutObject of the whole file: S3 readers get the old object or the new one.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { outermostPrefixes } from '../../../contracts/monitoring-names';
import type { CaptureFiles } from '../domain/ports';

export class S3CaptureFiles implements CaptureFiles {
  private readonly prefixes: readonly string[];

  constructor(private readonly props: { client: S3Client; bucket: string; prefixes: readonly string[] }) {
    this.prefixes = outermostPrefixes(props.prefixes);
  }

  /**
   * The prefixes are disjoint (outermost only), so listing them in order lists keys in order;
   * `StartAfter` skips what an earlier batch read, whether or not it lies under the prefix.
   */
  async list(after: string | undefined, max: number): Promise<string[]> {
    const keys: string[] = [];
    for (const prefix of [...this.prefixes].sort()) {
      let token: string | undefined;
      do {
        const out = await this.props.client.send(
          new ListObjectsV2Command({
            Bucket: this.props.bucket,
            Prefix: prefix,
            ContinuationToken: token,
            ...(after === undefined || token ? {} : { StartAfter: after }),
          }),
        );
        for (const o of out.Contents ?? []) {
          if (!o.Key?.endsWith('.jsonl')) continue;
          keys.push(o.Key);
          if (keys.length >= max) return keys;
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    }
    return keys;
  }

  async read(key: string): Promise<string> {
    const out = await this.props.client.send(new GetObjectCommand({ Bucket: this.props.bucket, Key: key }));
    return out.Body!.transformToString();
  }

  async write(key: string, text: string): Promise<void> {
    await this.props.client.send(
      new PutObjectCommand({
        Bucket: this.props.bucket,
        Key: key,
        Body: text,
        // Given, so a file left empty (every record the entity's) is not sent as a stream of unknown length.
        ContentLength: Buffer.byteLength(text),
        ContentType: 'application/jsonl',
      }),
    );
  }
}
