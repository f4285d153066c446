/**
 * Everything the platform has stored, as one comparable value: every item of every DynamoDB
 * table (full scans) and every object of every bucket (key, size and ETag). Two snapshots that
 * are equal mean no request in between changed storage.
 */
import { type DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export type Snapshot = Map<string, string>;

export interface SnapshotOptions {
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
  /** Tables whose items are bookkeeping of the requests themselves (rate-limit buckets). */
  readonly ignoreTables?: readonly string[];
  /** Items the platform's own schedules write whenever their tick falls (`table`, `pk` prefix). */
  readonly ignoreItems?: ReadonlyArray<{ readonly table: string; readonly pkPrefix: string }>;
}

export async function takeSnapshot(options: SnapshotOptions): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const tables = (await options.dynamoDb.send(new ListTablesCommand({}))).TableNames ?? [];
  for (const table of tables) {
    if (options.ignoreTables?.includes(table)) continue;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await options.dynamoDb.send(
        // biome-ignore lint/suspicious/noExplicitAny: the key is passed back as DynamoDB gave it
        new ScanCommand({ TableName: table, ExclusiveStartKey: start as any, ConsistentRead: true }),
      );
      for (const item of page.Items ?? []) {
        const pk = (item.pk as { S?: string } | undefined)?.S ?? '';
        if (options.ignoreItems?.some((i) => i.table === table && pk.startsWith(i.pkPrefix))) continue;
        // Attribute order is not part of an item's value.
        const text = JSON.stringify(
          Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))),
        );
        out.set(`dynamodb:${table}:${text}`, text);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  const buckets = (await options.s3.send(new ListBucketsCommand({}))).Buckets ?? [];
  for (const { Name } of buckets) {
    let token: string | undefined;
    do {
      const page = await options.s3.send(
        new ListObjectsV2Command({ Bucket: Name, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) out.set(`s3:${Name}/${o.Key}`, `${o.Size}:${o.ETag}`);
      token = page.NextContinuationToken;
    } while (token);
  }
  return out;
}

/** What differs between two snapshots: keys added, removed or changed. */
export function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const [k, v] of after)
    if (before.get(k) !== v) changes.push(`${before.has(k) ? 'changed' : 'added'} ${k.slice(0, 200)}`);
  for (const k of before.keys()) if (!after.has(k)) changes.push(`removed ${k.slice(0, 200)}`);
  return changes;
}
