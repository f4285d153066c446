/**
 * The inference ids an erasure run found (its captured records', its experiment predictions'),
 * kept in the artifacts bucket beside the erasure record rather than on it: a DynamoDB item holds
 * 400 KB, and a large erasure finds more. One object per batch that found ids, named by the
 * batch's sequence number, so a batch planned again writes its own object again and no two runs
 * of the erasure overwrite each other's.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { erasureInferenceIdsPrefix } from '../../../contracts/privacy';
import type { FoundInferenceIds } from '../domain/ports';

export class S3FoundInferenceIds implements FoundInferenceIds {
  constructor(private readonly props: { client: S3Client; bucket: string }) {}

  private prefix(erasureId: string): string {
    return erasureInferenceIdsPrefix(erasureId);
  }

  locationOf(erasureId: string): string {
    return `s3://${this.props.bucket}/${this.prefix(erasureId)}`;
  }

  async put(
    erasureId: string,
    batchSeq: number,
    ids: Readonly<Record<string, readonly string[]>>,
  ): Promise<void> {
    await this.props.client.send(
      new PutObjectCommand({
        Bucket: this.props.bucket,
        // Zero-padded: listing order is batch order.
        Key: `${this.prefix(erasureId)}${String(batchSeq).padStart(10, '0')}.json`,
        Body: JSON.stringify(ids),
        ContentType: 'application/json',
      }),
    );
  }

  private async keys(erasureId: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.props.client.send(
        new ListObjectsV2Command({
          Bucket: this.props.bucket,
          Prefix: this.prefix(erasureId),
          ContinuationToken: token,
        }),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async read(erasureId: string): Promise<Record<string, string[]>> {
    const found: Record<string, Set<string>> = {};
    for (const key of await this.keys(erasureId)) {
      const out = await this.props.client.send(new GetObjectCommand({ Bucket: this.props.bucket, Key: key }));
      const batch = JSON.parse(await out.Body!.transformToString()) as Record<string, string[]>;
      for (const [model, ids] of Object.entries(batch)) {
        found[model] ??= new Set();
        for (const id of ids) found[model].add(id);
      }
    }
    return Object.fromEntries(Object.entries(found).map(([m, ids]) => [m, [...ids]]));
  }

  async remove(erasureId: string): Promise<void> {
    // One object per batch that found ids: a few hundred for the largest erasures.
    for (const Key of await this.keys(erasureId)) {
      await this.props.client.send(new DeleteObjectCommand({ Bucket: this.props.bucket, Key }));
    }
  }
}
