/**
 * Tombstones of erased entities in the feature registry table (`TOMBSTONE#<sha256>`): written by
 * an erasure in the transaction that records it, read by every push and materialization. Reads
 * are BatchGetItem in chunks of 100 keys, unprocessed keys retried.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { featureKeys } from '../../../contracts/tables';
import type { TombstoneReader } from '../domain/ports';

const BATCH_GET_MAX_KEYS = 100;
const MAX_ATTEMPTS = 8;

export class DynamoDbTombstones implements TombstoneReader {
  constructor(private readonly props: { client: DynamoDBDocumentClient; table: string }) {}

  async erased(hashes: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < hashes.length; i += BATCH_GET_MAX_KEYS) {
      let keys: Array<Record<string, unknown>> | undefined = hashes
        .slice(i, i + BATCH_GET_MAX_KEYS)
        .map((h) => featureKeys.tombstone(h));
      for (let attempt = 1; keys && keys.length > 0; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new Error('DynamoDB left tombstone reads unprocessed');
        const out: BatchGetCommandOutput = await this.props.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.props.table]: { Keys: keys, ProjectionExpression: 'pk', ConsistentRead: true },
            },
          }),
        );
        for (const item of out.Responses?.[this.props.table] ?? []) {
          found.add(String(item.pk).slice('TOMBSTONE#'.length));
        }
        keys = out.UnprocessedKeys?.[this.props.table]?.Keys;
        if (keys?.length) await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
      }
    }
    return found;
  }
}
