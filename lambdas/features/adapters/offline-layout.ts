/**
 * Where the feature store keeps things in its offline bucket. Data files are Hive-partitioned by
 * view and event date (`dt=YYYY-MM-DD`), the layout Athena partition projection reads; manifest
 * entries sit outside the data prefix so Athena never tries to read them as Parquet.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */

import { FEATURE_BUCKET_LAYOUT } from '../../../contracts/features';

export const OFFLINE_PREFIX = FEATURE_BUCKET_LAYOUT.offline;
export const MANIFEST_PREFIX = FEATURE_BUCKET_LAYOUT.manifest;
export const TRAINING_PREFIX = FEATURE_BUCKET_LAYOUT.training;
export const ATHENA_RESULTS_PREFIX = FEATURE_BUCKET_LAYOUT.athenaResults;

/** `YYYY-MM-DD` of an epoch-ms instant, in UTC. */
export const eventDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const viewDataPrefix = (view: string): string => `${OFFLINE_PREFIX}${view}/`;
export const viewManifestPrefix = (view: string): string => `${MANIFEST_PREFIX}${view}/`;

/**
 * A file id that sorts in write order (UTC time to the millisecond, then a random suffix), so
 * listing order is write order: the tie-breaker between equal event and created times.
 */
export const fileId = (writtenAtMs: number, random: string): string =>
  `${new Date(writtenAtMs).toISOString().replace(/[-:.]/g, '')}-${random}`;

export const dataKey = (view: string, date: string, id: string): string =>
  `${viewDataPrefix(view)}dt=${date}/${id}.parquet`;
/**
 * A manifest entry's key carries what readers need (event-time bounds and row count), so one
 * ListObjectsV2 page lists 1000 files with no GET per file:
 * `features/manifest/<view>/dt=<date>/<file id>~<min ms>~<max ms>~<rows>.json`.
 */
export const manifestKey = (
  view: string,
  date: string,
  id: string,
  entry: { minEventTimestampMs: number; maxEventTimestampMs: number; rowCount: number },
): string =>
  `${viewManifestPrefix(view)}dt=${date}/${id}~${entry.minEventTimestampMs}~${entry.maxEventTimestampMs}~${entry.rowCount}.json`;

const MANIFEST_KEY = /\/dt=(\d{4}-\d{2}-\d{2})\/((\d{8}T\d{9}Z)-[^~/]+)~(\d+)~(\d+)~(\d+)\.json$/;

/** Parses a manifest key back into its data file; undefined for a key that is not one. */
export function parseManifestKey(view: string, key: string) {
  const m = MANIFEST_KEY.exec(key);
  if (!m || !key.startsWith(viewManifestPrefix(view))) return undefined;
  const t = m[3];
  const writtenAtMs = Date.parse(
    `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.${t.slice(15, 18)}Z`,
  );
  return {
    key: dataKey(view, m[1], m[2]),
    minEventTimestampMs: Number(m[4]),
    maxEventTimestampMs: Number(m[5]),
    rowCount: Number(m[6]),
    writtenAtMs,
  };
}
