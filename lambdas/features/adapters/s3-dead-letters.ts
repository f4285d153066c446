/**
 * Rejected stream events in the offline bucket, one JSON-lines object per batch under
 * `features/stream-rejected/<date>/<shard id>/<first sequence number>.json`: each line holds the
 * event id, the reason and the record's data. The key comes from the batch, so a retried batch
 * rewrites its object rather than adding another.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FEATURE_BUCKET_LAYOUT } from '../../../contracts/features';
import type { DeadLetters, RejectedEvent } from '../domain/stream-ingest';

export class S3DeadLetters implements DeadLetters {
  constructor(
    private readonly props: {
      readonly client: S3Client;
      readonly bucket: string;
      readonly clock?: () => number;
    },
  ) {}

  async put(key: string, events: readonly RejectedEvent[]): Promise<void> {
    const date = new Date((this.props.clock ?? Date.now)()).toISOString().slice(0, 10);
    await this.props.client.send(
      new PutObjectCommand({
        Bucket: this.props.bucket,
        Key: `${FEATURE_BUCKET_LAYOUT.streamRejected}${date}/${key}.json`,
        Body: `${events.map((e) => JSON.stringify(e)).join('\n')}\n`,
        ContentType: 'application/x-ndjson',
      }),
    );
  }
}
