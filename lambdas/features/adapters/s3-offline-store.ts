/**
 * The offline store on S3: append-only Parquet files partitioned by view and event date, each
 * followed by its manifest entry. Readers go by the manifest, so a file whose write was cut
 * short (no entry) is never read by materialization or local training sets. An erasure rewrites a
 * file as `<id>.r<n>`: its entry supersedes the old one the moment it is written (readers drop an
 * entry whose id another entry extends), so a reader sees the old file or the new, never both.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { FeatureRow, FeatureView } from '../../../contracts/features';
import { onlineItemKey } from '../domain/online';
import type { OfflineFile, OfflineStore } from '../domain/ports';
import {
  dataKey,
  eventDate,
  fileId,
  manifestKey,
  parseManifestKey,
  viewManifestPrefix,
} from './offline-layout';
import { parquetToRows, rowsToParquet } from './parquet-rows';

/** Ranges longer than this are listed whole and filtered, rather than one listing per day. */
const MAX_DAYS_LISTED_ONE_BY_ONE = 62;
const DAY_MS = 86_400_000;

export interface S3OfflineStoreProps {
  readonly client: S3Client;
  readonly bucket: string;
  /** @default Date.now */
  readonly clock?: () => number;
}

export class S3OfflineStore implements OfflineStore {
  constructor(private readonly props: S3OfflineStoreProps) {}

  /**
   * Appends the rows as one file per event date, all or nothing: every data file first, then
   * every manifest entry (the commit: readers list manifest entries, never data files). When any
   * write fails, what this call wrote is deleted (entries first, so no entry ever names a deleted
   * file) and the error is rethrown, so a failed append leaves the view as it was.
   */
  async append(view: FeatureView, rows: readonly FeatureRow[]): Promise<OfflineFile[]> {
    const writtenAtMs = (this.props.clock ?? Date.now)();
    const byDate = new Map<string, FeatureRow[]>();
    for (const row of collapseFullTies(view, rows)) {
      const date = eventDate(row.eventTimestampMs);
      byDate.set(date, [...(byDate.get(date) ?? []), row]);
    }
    const planned = [...byDate].map(([date, dateRows]) => {
      const id = fileId(writtenAtMs, randomUUID());
      const entry = {
        rowCount: dateRows.length,
        minEventTimestampMs: Math.min(...dateRows.map((r) => r.eventTimestampMs)),
        maxEventTimestampMs: Math.max(...dateRows.map((r) => r.eventTimestampMs)),
      };
      const key = dataKey(view.name, date, id);
      return { key, manifest: manifestKey(view.name, date, id, entry), entry, rows: dateRows };
    });
    // Each key is counted as written before its put: a put that fails may still have been applied
    // (its answer lost, the retries then failing), and an entry left behind whose data file the
    // clean-up deleted would name a missing file. Deleting a key that is not there is harmless.
    const written: string[] = [];
    try {
      for (const file of planned) {
        written.unshift(file.key);
        await this.put(file.key, rowsToParquet(view, file.rows), 'application/vnd.apache.parquet');
      }
      for (const file of planned) {
        const body = { key: file.key, viewVersion: view.version, writtenAtMs, ...file.entry };
        written.unshift(file.manifest);
        await this.put(file.manifest, JSON.stringify(body), 'application/json');
      }
    } catch (err) {
      await this.deleteAll(written);
      throw err;
    }
    return planned.map((f) => ({ bucket: this.props.bucket, key: f.key, writtenAtMs, ...f.entry }));
  }

  /**
   * Best-effort removal of what a failed append wrote, newest first (manifest entries before
   * their data files). It stops at the first delete that fails, so an entry left behind still
   * names its file; a data file left behind has no entry, so readers never see it.
   */
  private async deleteAll(keys: readonly string[]): Promise<void> {
    try {
      for (const key of keys) {
        await this.props.client.send(new DeleteObjectCommand({ Bucket: this.props.bucket, Key: key }));
      }
    } catch {
      // The append's own error is the one to report.
    }
  }

  /**
   * Replaces `file` by one holding `rows` (an erasure's rewrite), with the same Parquet writer and
   * a file id that sorts where the old one did (so write-order tie-breaks are kept): the new data
   * file, then its manifest entry (the commit: it supersedes the old entry), then the old entry and
   * data file are deleted. No rows left: the old entry goes first (the commit), then its file.
   */
  async rewrite(view: FeatureView, file: OfflineFile, rows: readonly FeatureRow[]): Promise<void> {
    const m = /\/dt=(\d{4}-\d{2}-\d{2})\/([^/]+)\.parquet$/.exec(file.key);
    if (!m) throw new Error(`not an offline data file: ${file.key}`);
    const [, date, id] = m;
    const oldEntry = manifestKey(view.name, date, id, file);
    if (rows.length > 0) {
      const newId = `${id}.r${randomUUID().slice(0, 8)}`;
      const entry = {
        rowCount: rows.length,
        minEventTimestampMs: Math.min(...rows.map((r) => r.eventTimestampMs)),
        maxEventTimestampMs: Math.max(...rows.map((r) => r.eventTimestampMs)),
      };
      const key = dataKey(view.name, date, newId);
      await this.put(key, rowsToParquet(view, rows), 'application/vnd.apache.parquet');
      const body = { key, viewVersion: view.version, writtenAtMs: file.writtenAtMs, ...entry };
      await this.put(manifestKey(view.name, date, newId, entry), JSON.stringify(body), 'application/json');
    }
    await this.delete(oldEntry);
    await this.delete(file.key);
  }

  async discard(view: FeatureView, files: readonly OfflineFile[]): Promise<void> {
    for (const file of files) await this.rewrite(view, file, []);
  }

  /** Deletes entries (and data files) a rewrite superseded but was cut short before removing. */
  async removeSuperseded(viewName: string): Promise<void> {
    const entries = (await this.listKeys(viewManifestPrefix(viewName)))
      .map((key) => ({ key, file: parseManifestKey(viewName, key) }))
      .filter((e) => e.file !== undefined);
    const replaced = supersededIds(entries.map((e) => fileIdOf(e.file!.key)));
    for (const e of entries) {
      if (!replaced.has(fileIdOf(e.file!.key))) continue;
      await this.delete(e.key);
      await this.delete(e.file!.key);
    }
  }

  private async delete(key: string): Promise<void> {
    await this.props.client.send(new DeleteObjectCommand({ Bucket: this.props.bucket, Key: key }));
  }

  async listFiles(viewName: string, range: { fromMs?: number; toMs?: number } = {}): Promise<OfflineFile[]> {
    const { fromMs, toMs } = range;
    const prefixes =
      fromMs !== undefined && toMs !== undefined && (toMs - fromMs) / DAY_MS <= MAX_DAYS_LISTED_ONE_BY_ONE
        ? daysBetween(fromMs, toMs).map((d) => `${viewManifestPrefix(viewName)}dt=${d}/`)
        : [viewManifestPrefix(viewName)];
    const listed: OfflineFile[] = [];
    for (const prefix of prefixes) {
      for (const key of await this.listKeys(prefix)) {
        const file = parseManifestKey(viewName, key);
        if (file) listed.push({ bucket: this.props.bucket, ...file });
      }
    }
    // Superseded before the range filter: a rewrite's bounds may leave the range its original met.
    const replaced = supersededIds(listed.map((f) => fileIdOf(f.key)));
    const files = listed.filter(
      (file) =>
        !replaced.has(fileIdOf(file.key)) &&
        !(fromMs !== undefined && file.maxEventTimestampMs < fromMs) &&
        !(toMs !== undefined && file.minEventTimestampMs >= toMs),
    );
    // Write order, the order full ties are broken in.
    return files.sort(
      (a, b) => a.writtenAtMs - b.writtenAtMs || fileName(a.key).localeCompare(fileName(b.key)),
    );
  }

  async readRows(view: FeatureView, file: OfflineFile): Promise<FeatureRow[]> {
    return parquetToRows(view, await this.getBytes(file.bucket, file.key));
  }

  /** The bytes of an object (a data file, for engines that read files themselves). */
  async getBytes(bucket: string, key: string): Promise<Uint8Array> {
    const out = await this.props.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body!.transformToByteArray();
  }

  private async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.props.client.send(
      new PutObjectCommand({ Bucket: this.props.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  private async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.props.client.send(
        new ListObjectsV2Command({ Bucket: this.props.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}

const fileName = (key: string): string => key.slice(key.lastIndexOf('/') + 1);
const fileIdOf = (key: string): string => fileName(key).replace(/\.parquet$/, '');

/** Ids a rewrite replaced: `<id>` when `<id>.r<n>` is listed too. */
function supersededIds(ids: readonly string[]): Set<string> {
  const replaced = new Set<string>();
  for (const id of ids) {
    const at = id.lastIndexOf('.r');
    if (at > 0) replaced.add(id.slice(0, at));
  }
  return replaced;
}

/** Every UTC date from `fromMs` to `toMs` (exclusive), as `YYYY-MM-DD`. */
function daysBetween(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = Math.floor(fromMs / DAY_MS) * DAY_MS; t < toMs; t += DAY_MS) days.push(eventDate(t));
  return days;
}

/**
 * Rows of one batch with the same entity key, event time and created time: only the last can
 * ever win a join (a later row of a batch wins a full tie), so only it is kept. Files then hold
 * no full ties, and any engine breaks ties across files by write order alone.
 */
function collapseFullTies(view: FeatureView, rows: readonly FeatureRow[]): FeatureRow[] {
  // Stream events are distinct events even when they tie (same user, millisecond and arrival):
  // each is counted by the aggregates and carries its own event id.
  if (view.source.type === 'stream') return [...rows];
  const last = new Map<string, number>();
  rows.forEach((r, i) => {
    last.set(`${onlineItemKey(view, r.entityKey)}@${r.eventTimestampMs}@${r.createdTimestampMs ?? ''}`, i);
  });
  const keep = new Set(last.values());
  return rows.filter((_, i) => keep.has(i));
}
