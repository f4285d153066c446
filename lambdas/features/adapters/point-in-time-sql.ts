/**
 * The point-in-time join as one SQL query that both engines run: DuckDB locally, Athena (Trino)
 * on AWS. It is Feast's formulation (join each entity row with the view rows of its key in
 * `[T - ttl, T]`, rank by event time, created time, then write order, keep rank 1) rather than
 * DuckDB's ASOF JOIN, which Athena lacks; one text for both engines means the DuckDB tests also
 * test the SQL Athena runs. It must agree with `pointInTimeJoin` (domain), the reference.
 * @see https://github.com/feast-dev/feast/blob/master/sdk/python/feast/infra/offline_stores/offline_utils.py
 * @see https://trino.io/docs/current/functions/window.html
 */
import { CREATED_TIMESTAMP_FIELD, EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type { FeatureView } from '../../../contracts/features';

/** Column of the entity table numbering its rows: output order, and the join's partition. */
export const ROW_ID = '__row_id';

/** A view's rows as the query reads them. */
export interface ViewSource {
  readonly view: Pick<FeatureView, 'name' | 'entities' | 'ttlSeconds'>;
  /** A table expression: `"db"."table"` on Athena, a view over `read_parquet` in DuckDB. */
  readonly table: string;
  /** Orders files by write time (a file path with its write-ordered id). */
  readonly fileOrderColumn: string;
  /** Orders rows within a file, if the engine has it; files hold no full ties anyway. */
  readonly rowOrderColumn?: string;
  /** Restricts partitions read, e.g. `v."dt" BETWEEN '2024-01-01' AND '2024-01-31'`. */
  readonly partitionFilter?: string;
}

export interface PointInTimeQuery {
  readonly entityTable: string;
  /** Columns of the entity table to return, in order (join keys, `event_timestamp`, labels). */
  readonly entityColumns: readonly string[];
  readonly sources: readonly ViewSource[];
  readonly features: ReadonlyArray<{ view: string; feature: string; outputName: string }>;
}

/** A double-quoted identifier, as both Trino and DuckDB read it. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The SELECT of a point-in-time join; output rows keep the entity table's `ROW_ID` order. */
export function pointInTimeSelect(q: PointInTimeQuery): string {
  const ctes: string[] = [];
  const joins: string[] = [];
  const outputs = q.entityColumns.map((c) => `e.${ident(c)}`);
  q.sources.forEach((source, i) => {
    const wanted = q.features.filter((f) => f.view === source.view.name);
    if (wanted.length === 0) return;
    const alias = `j${i}`;
    const keyMatch = source.view.entities.map((e) => `v.${ident(e.name)} = e.${ident(e.name)}`);
    const ts = ident(EVENT_TIMESTAMP_FIELD);
    const ttl =
      source.view.ttlSeconds > 0 ? [`v.${ts} >= e.${ts} - INTERVAL '${source.view.ttlSeconds}' SECOND`] : [];
    const order = [
      `v.${ts} DESC`,
      `v.${ident(CREATED_TIMESTAMP_FIELD)} DESC NULLS LAST`,
      `v.${ident(source.fileOrderColumn)} DESC`,
      ...(source.rowOrderColumn ? [`v.${ident(source.rowOrderColumn)} DESC`] : []),
    ];
    const features = [...new Set(wanted.map((f) => f.feature))];
    ctes.push(
      `${alias} AS (
  SELECT e.${ident(ROW_ID)}, ${features.map((f) => `v.${ident(f)}`).join(', ')},
    ROW_NUMBER() OVER (PARTITION BY e.${ident(ROW_ID)} ORDER BY ${order.join(', ')}) AS __rank
  FROM ${q.entityTable} e
  JOIN ${source.table} v ON ${[...keyMatch, `v.${ts} <= e.${ts}`, ...ttl].join(' AND ')}${
    source.partitionFilter ? `\n  WHERE ${source.partitionFilter}` : ''
  }
)`,
    );
    joins.push(
      `LEFT JOIN ${alias} ON ${alias}.${ident(ROW_ID)} = e.${ident(ROW_ID)} AND ${alias}.__rank = 1`,
    );
    for (const f of wanted) outputs.push(`${alias}.${ident(f.feature)} AS ${ident(f.outputName)}`);
  });
  // Features keep the request's order, whatever the view order.
  const ordered = [
    ...outputs.slice(0, q.entityColumns.length),
    ...q.features.map((f) => outputs.find((o) => o.endsWith(` AS ${ident(f.outputName)}`))!),
  ];
  return `WITH ${ctes.join(',\n')}
SELECT ${ordered.join(', ')}
FROM ${q.entityTable} e
${joins.join('\n')}
ORDER BY e.${ident(ROW_ID)}`;
}

/** The partition dates (`dt`) a view's rows can come from, given the entity rows' time span. */
export function partitionRange(
  view: Pick<FeatureView, 'ttlSeconds'>,
  minEntityMs: number,
  maxEntityMs: number,
): { from?: string; to: string } {
  const to = new Date(maxEntityMs).toISOString().slice(0, 10);
  if (view.ttlSeconds === 0) return { to };
  return { from: new Date(minEntityMs - view.ttlSeconds * 1000).toISOString().slice(0, 10), to };
}
