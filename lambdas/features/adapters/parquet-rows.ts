/**
 * Feature rows to and from Parquet, typed by the view: entity keys and int64 features as INT64,
 * float64 as DOUBLE, strings as UTF8, bools as BOOLEAN, `event_timestamp`, `created_timestamp`
 * and timestamp features as TIMESTAMP_MILLIS (UTC). Every column is optional (nullable), so a
 * feature added later reads as null from older files. Pure JavaScript (hyparquet), so it bundles
 * into a Lambda without native code.
 * @see https://parquet.apache.org/docs/file-format/types/
 */
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { CREATED_TIMESTAMP_FIELD, EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type {
  EntityValue,
  FeatureDtype,
  FeatureRow,
  FeatureValue,
  FeatureView,
} from '../../../contracts/features';

type ParquetType = 'INT64' | 'DOUBLE' | 'STRING' | 'BOOLEAN' | 'TIMESTAMP';

const PARQUET_TYPE: Record<FeatureDtype, ParquetType> = {
  int64: 'INT64',
  float64: 'DOUBLE',
  string: 'STRING',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

/** The Parquet column types of a view's offline files, in file order. */
export function offlineColumns(
  view: Pick<FeatureView, 'entities' | 'features'>,
): Array<[string, ParquetType]> {
  return [
    ...view.entities.map((e): [string, ParquetType] => [
      e.name,
      e.valueType === 'int64' ? 'INT64' : 'STRING',
    ]),
    [EVENT_TIMESTAMP_FIELD, 'TIMESTAMP'],
    [CREATED_TIMESTAMP_FIELD, 'TIMESTAMP'],
    ...view.features.map((f): [string, ParquetType] => [f.name, PARQUET_TYPE[f.dtype]]),
  ];
}

const toParquet = (type: ParquetType, value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (type === 'INT64') return BigInt(value as number);
  if (type === 'TIMESTAMP') return new Date(typeof value === 'number' ? value : Date.parse(value as string));
  return value;
};

/** Encodes rows as one Parquet file (snappy-compressed). */
export function rowsToParquet(
  view: Pick<FeatureView, 'entities' | 'features'>,
  rows: readonly FeatureRow[],
): Uint8Array {
  const columnData = offlineColumns(view).map(([name, type]) => {
    const pick = (r: FeatureRow): unknown =>
      name === EVENT_TIMESTAMP_FIELD
        ? r.eventTimestampMs
        : name === CREATED_TIMESTAMP_FIELD
          ? r.createdTimestampMs
          : Object.hasOwn(r.entityKey, name)
            ? r.entityKey[name]
            : r.values[name];
    return { name, type, data: rows.map((r) => toParquet(type, pick(r))) };
  });
  // biome-ignore lint/suspicious/noExplicitAny: hyparquet-writer's column data is loosely typed
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData as any }));
}

const fromParquet = (value: unknown): unknown => {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  return value ?? null;
};

/**
 * Decodes a view's Parquet file into feature rows. Features the file lacks (added to the view
 * later) are absent from `values`; columns the view no longer has are ignored.
 */
export async function parquetToRows(
  view: Pick<FeatureView, 'entities' | 'features'>,
  bytes: Uint8Array,
): Promise<FeatureRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const records = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
  return records.map((record) => {
    const entityKey: Record<string, EntityValue> = {};
    for (const e of view.entities) entityKey[e.name] = fromParquet(record[e.name]) as EntityValue;
    const values: Record<string, FeatureValue> = {};
    for (const f of view.features) {
      if (!Object.hasOwn(record, f.name)) continue;
      const v = fromParquet(record[f.name]);
      values[f.name] =
        f.dtype === 'timestamp' && typeof v === 'number' ? new Date(v).toISOString() : (v as FeatureValue);
    }
    const created = fromParquet(record[CREATED_TIMESTAMP_FIELD]);
    return {
      entityKey,
      eventTimestampMs: fromParquet(record[EVENT_TIMESTAMP_FIELD]) as number,
      ...(typeof created === 'number' ? { createdTimestampMs: created } : {}),
      values,
    };
  });
}
