/**
 * An entity list (a CSV of entity rows, read a record at a time) as a table the offline engines
 * scan: Parquet files of at most `rowsPerFile` rows under one prefix, each row numbered `__row_id`
 * (its 0-based data row in the list: the join's order, and how a joined row names the list's row),
 * join keys typed by the view, `event_timestamp` a TIMESTAMP (`asOf` where the row has none), every
 * other column the text it was. Memory holds one file's rows, however long the list.
 */
import { EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type { FeatureView } from '../../../contracts/features';
import { type RowProblem, ValidationFailedError } from '../domain/errors';
import { entityValueProblem, parseTimestamp } from '../domain/validation';
import type { ColumnType } from './entity-rows-parquet';
import { entityRowsToParquet } from './entity-rows-parquet';
import { ROW_ID } from './point-in-time-sql';

/** What the staged table is: its files in row order, its columns, its rows' time span. */
export interface StagedEntityTable {
  readonly bucket: string;
  readonly prefix: string;
  readonly keys: readonly string[];
  readonly columns: ReadonlyArray<[string, ColumnType]>;
  readonly rowCount: number;
  /** Event-time span of the rows (epoch ms); undefined for an empty list. */
  readonly minEventMs?: number;
  readonly maxEventMs?: number;
}

export interface EntityTableWriterProps {
  readonly view: Pick<FeatureView, 'entities' | 'features'>;
  /** The list's header. */
  readonly header: readonly string[];
  readonly asOf: Date;
  readonly target: { readonly bucket: string; readonly prefix: string };
  readonly put: (bucket: string, key: string, body: Uint8Array) => Promise<void>;
  /** @default 100000 */
  readonly rowsPerFile?: number;
}

/** Checked problems before the job gives up: enough to fix a file, not a whole file's worth. */
const MAX_PROBLEMS = 20;

/**
 * Writes an entity list's rows, in order, as the table's files. A row whose join key is not its
 * declared type, or whose `event_timestamp` is not a timestamp, refuses the whole list (as a
 * training set's entity rows are refused), naming up to 20 rows.
 */
export class EntityTableWriter {
  private readonly columns: Array<[string, ColumnType]>;
  private readonly keyTypes: ReadonlyArray<FeatureView['entities'][number]>;
  private readonly keys: string[] = [];
  private readonly problems: RowProblem[] = [];
  private pending: Array<Record<string, unknown>> = [];
  private rowCount = 0;
  private minEventMs = Number.POSITIVE_INFINITY;
  private maxEventMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly props: EntityTableWriterProps) {
    this.keyTypes = props.view.entities;
    const keys = new Set(props.view.entities.map((e) => e.name));
    // A column named as a feature is left out: the joined row's feature is the view's, as before.
    const features = new Set(props.view.features.map((f) => f.name));
    this.columns = [
      [ROW_ID, 'INT64'],
      ...props.view.entities.map((e): [string, ColumnType] => [
        e.name,
        e.valueType === 'int64' ? 'INT64' : 'STRING',
      ]),
      [EVENT_TIMESTAMP_FIELD, 'TIMESTAMP'],
      ...props.header
        .filter((h) => !keys.has(h) && h !== EVENT_TIMESTAMP_FIELD && !features.has(h) && h !== ROW_ID)
        .map((h): [string, ColumnType] => [h, 'STRING']),
    ];
  }

  /** Adds the list's next record (its cells in header order; a short record lacks its last cells). */
  async add(cells: readonly string[]): Promise<void> {
    const index = this.rowCount++;
    const row: Record<string, unknown> = {};
    this.props.header.forEach((name, i) => {
      if (i < cells.length) row[name] = cells[i];
    });
    for (const e of this.keyTypes) {
      const v = row[e.name];
      if (e.valueType === 'int64' && typeof v === 'string' && /^-?\d+$/.test(v)) row[e.name] = Number(v);
      const problem = entityValueProblem(e, row[e.name]);
      if (problem) this.problem({ row: index, ...problem });
    }
    const ts = row[EVENT_TIMESTAMP_FIELD];
    const at = ts === undefined || ts === '' ? this.props.asOf.getTime() : parseTimestamp(ts);
    if (at === undefined)
      this.problem({ row: index, field: EVENT_TIMESTAMP_FIELD, rule: 'TYPE', reason: 'not a timestamp' });
    else {
      row[EVENT_TIMESTAMP_FIELD] = at;
      this.minEventMs = Math.min(this.minEventMs, at);
      this.maxEventMs = Math.max(this.maxEventMs, at);
    }
    if (this.problems.length > 0) return;
    this.pending.push(row);
    if (this.pending.length >= (this.props.rowsPerFile ?? 100_000)) await this.flush();
  }

  /** Writes what is left. @throws ValidationFailedError naming the bad rows (nothing joins then) */
  async close(): Promise<StagedEntityTable> {
    if (this.problems.length > 0) throw new ValidationFailedError('Entity rows', this.problems);
    await this.flush();
    const { bucket, prefix } = this.props.target;
    return {
      bucket,
      prefix,
      keys: this.keys,
      columns: this.columns,
      rowCount: this.rowCount,
      ...(this.rowCount > 0 ? { minEventMs: this.minEventMs, maxEventMs: this.maxEventMs } : {}),
    };
  }

  private problem(p: RowProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    this.pending = [];
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const firstRowId = this.rowCount - rows.length;
    // Zero-padded by first row: listing order is row order.
    const key = `${this.props.target.prefix}part-${String(firstRowId).padStart(12, '0')}.parquet`;
    // As ISO text: the Parquet writer parses a timestamp so (a number there is epoch seconds).
    const parquetRows = rows.map((r) => ({
      ...r,
      [EVENT_TIMESTAMP_FIELD]: new Date(r[EVENT_TIMESTAMP_FIELD] as number).toISOString(),
    }));
    await this.props.put(
      this.props.target.bucket,
      key,
      entityRowsToParquet(this.columns, parquetRows, firstRowId),
    );
    this.keys.push(key);
  }
}
