/**
 * Loads the rows of a `DataSource`: inline, one S3 object, or every object under an S3 prefix (a
 * feature view's offline Parquet files, say). Only the platform bucket and the feature store's
 * offline bucket are read: the function's role is scoped to them.
 */
import type { DataSource } from '../../../contracts/monitoring';
import { MAX_PROFILE_ROWS } from '../../../contracts/monitoring-names';
import { BadRequestError, NotFoundError } from '../../shared/errors';
import type { Row } from './columns';
import type { ObjectStore } from './ports';
import { formatOf, parseTabular } from './tabular';

/** Objects one prefix source may hold. */
export const MAX_SOURCE_OBJECTS = 1000;

/** Splits `s3://bucket/key`. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw new BadRequestError('INVALID_URI', `${uri} is not an s3:// URI`);
  return { bucket: m[1], key: m[2] };
}

/** The rows of a source, with a description of where they came from. */
export async function loadRows(
  objects: ObjectStore,
  source: DataSource,
  readableBuckets: readonly string[] = [objects.bucket],
): Promise<{ rows: Row[]; source: string }> {
  if ('rows' in source) return { rows: source.rows, source: 'inline' };
  const { bucket, key } = parseS3Uri(source.uri);
  if (!readableBuckets.includes(bucket)) {
    throw new BadRequestError(
      'BUCKET_NOT_ALLOWED',
      `monitoring reads ${readableBuckets.join(' and ')} only, not ${bucket}`,
    );
  }
  const keys = key.endsWith('/')
    ? (await objects.list(key, { limit: MAX_SOURCE_OBJECTS + 1, bucket }))
        .filter(
          (o) => o.size > 0 && !o.key.endsWith('/') && /\.(csv|parquet|jsonl|ndjson|json)$/i.test(o.key),
        )
        .map((o) => o.key)
    : [key];
  if (keys.length === 0) throw new NotFoundError('DATA_NOT_FOUND', `no objects under ${source.uri}`);
  if (keys.length > MAX_SOURCE_OBJECTS) {
    throw new BadRequestError(
      'TOO_MANY_OBJECTS',
      `${source.uri} holds more than ${MAX_SOURCE_OBJECTS} objects`,
    );
  }
  const rows: Row[] = [];
  for (const k of keys) {
    const bytes = await objects.getBytes(k, bucket);
    if (!bytes) throw new NotFoundError('DATA_NOT_FOUND', `no object at s3://${bucket}/${k}`);
    for (const row of await parseTabular(bytes, formatOf(k, source.format))) rows.push(row);
    if (rows.length > MAX_PROFILE_ROWS) {
      throw new BadRequestError('TOO_MANY_ROWS', `${source.uri} holds more than ${MAX_PROFILE_ROWS} rows`);
    }
  }
  return { rows, source: source.uri };
}
