/**
 * Entity rows of a training set as a Parquet table both engines read: `__row_id` (output order),
 * join keys typed by their views, `event_timestamp` as TIMESTAMP, and every other column (labels)
 * typed from its values: all integers INT64, all numbers DOUBLE, all booleans BOOLEAN, else
 * strings (non-strings as JSON text).
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type { FeatureView } from '../../../contracts/features';
import { column, parseTimestamp } from '../domain/validation';
import { ROW_ID } from './point-in-time-sql';

export type ColumnType = 'INT64' | 'DOUBLE' | 'STRING' | 'BOOLEAN' | 'TIMESTAMP';

/** Column names and types of the entity table, in output order (`__row_id` first). */
export function entityColumns(
  views: readonly Pick<FeatureView, 'entities'>[],
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
): Array<[string, ColumnType]> {
  const keys = new Map<string, ColumnType>();
  for (const v of views)
    for (const e of v.entities) keys.set(e.name, e.valueType === 'int64' ? 'INT64' : 'STRING');
  const columns: Array<[string, ColumnType]> = [
    [ROW_ID, 'INT64'],
    ...keys,
    [EVENT_TIMESTAMP_FIELD, 'TIMESTAMP'],
  ];
  const others = new Set<string>();
  for (const row of rows)
    for (const name of Object.keys(row))
      if (!keys.has(name) && name !== EVENT_TIMESTAMP_FIELD) others.add(name);
  for (const name of others) columns.push([name, inferType(rows.map((r) => column(r, name)))]);
  return columns;
}

function inferType(values: unknown[]): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => Number.isSafeInteger(v))) return 'INT64';
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return 'DOUBLE';
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  return 'STRING';
}

/**
 * The entity table as Parquet bytes; `__row_id` numbers the rows from `firstRowId` (an entity list
 * written as several files numbers its rows across them).
 */
export function entityRowsToParquet(
  columns: ReadonlyArray<[string, ColumnType]>,
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  firstRowId = 0,
): Uint8Array {
  const columnData = columns.map(([name, type]) => ({
    name,
    type,
    data: rows.map((row, index) => {
      if (name === ROW_ID) return BigInt(firstRowId + index);
      const v = column(row, name);
      if (v === null || v === undefined) return null;
      if (type === 'TIMESTAMP') return new Date(parseTimestamp(v)!);
      if (type === 'INT64') return BigInt(v as number);
      if (type === 'STRING' && typeof v !== 'string') return JSON.stringify(v);
      return v;
    }),
  }));
  // biome-ignore lint/suspicious/noExplicitAny: hyparquet-writer's column data is loosely typed
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData as any }));
}
