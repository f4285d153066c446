/**
 * Training sets on an embedded DuckDB (local mode and tests): the view files named by the
 * manifest and the entity rows are fetched from S3 into a temporary directory (DuckDB's S3
 * support, httpfs, needs a download this offline machine cannot make), joined with the shared
 * point-in-time SQL, and the result uploaded as Parquet. Not used on AWS: DuckDB is a native
 * module, and Athena runs the same SQL there over any amount of data.
 * @see https://duckdb.org/docs/stable/data/parquet/overview
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type {
  EntityJoinEngine,
  EntityJoinInput,
  OfflineFile,
  OfflineStore,
  TrainingSetEngine,
  TrainingSetInput,
} from '../domain/ports';
import { parseTimestamp } from '../domain/validation';
import { entityColumns, entityRowsToParquet } from './entity-rows-parquet';
import { TRAINING_PREFIX } from './offline-layout';
import { offlineColumns } from './parquet-rows';
import { ident, pointInTimeSelect, ROW_ID, type ViewSource } from './point-in-time-sql';

const DUCKDB_TYPE = {
  INT64: 'BIGINT',
  DOUBLE: 'DOUBLE',
  STRING: 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
};

export interface DuckDbTrainingSetEngineProps {
  readonly offline: OfflineStore & { getBytes(bucket: string, key: string): Promise<Uint8Array> };
  readonly s3: S3Client;
  readonly bucket: string;
}

export class DuckDbTrainingSetEngine implements TrainingSetEngine, EntityJoinEngine {
  constructor(private readonly props: DuckDbTrainingSetEngineProps) {}

  async build(input: TrainingSetInput): Promise<{ outputUri: string; rowCount: number }> {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-training-'));
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      const columns = entityColumns(input.views, input.entityRows);
      const entitiesFile = join(dir, 'entities.parquet');
      writeFileSync(entitiesFile, entityRowsToParquet(columns, input.entityRows));
      await db.run(`CREATE VIEW entities AS SELECT * FROM read_parquet('${entitiesFile}')`);
      const times = input.entityRows.map((r) => parseTimestamp(r[EVENT_TIMESTAMP_FIELD])!);
      const [minMs, maxMs] = [Math.min(...times), Math.max(...times)];
      const sources: ViewSource[] = [];
      for (const view of input.views) {
        const table = `view_${view.name}`;
        const from = view.ttlSeconds > 0 ? minMs - view.ttlSeconds * 1000 : undefined;
        const files = await this.props.offline.listFiles(view.name, {
          ...(from === undefined ? {} : { fromMs: from }),
          toMs: maxMs + 1,
        });
        await db.run(await viewTable(db, table, view, await this.fetch(dir, view.name, files)));
        sources.push({ view, table, fileOrderColumn: '__file', rowOrderColumn: '__file_row' });
      }
      const sql = pointInTimeSelect({
        entityTable: 'entities',
        entityColumns: columns.slice(1).map(([name]) => name),
        sources,
        features: input.features,
      });
      const outFile = join(dir, 'output.parquet');
      await db.run(`COPY (${sql}) TO '${outFile}' (FORMAT parquet)`);
      const key = `${TRAINING_PREFIX}${input.jobId}/output/part-00000.parquet`;
      await this.props.s3.send(
        new PutObjectCommand({ Bucket: this.props.bucket, Key: key, Body: await readFile(outFile) }),
      );
      return { outputUri: `s3://${this.props.bucket}/${key}`, rowCount: input.entityRows.length };
    } finally {
      db.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * An entity table joined with one view: the table's files and exactly the offline files given
   * are fetched, the shared SQL's result is kept in an on-disk database (memory stays bounded),
   * then written out in `__row_id` order as files of `rowsPerFile` rows, one row group each (a
   * DuckDB row group is whole 2,048-row vectors, so a file per batch is the only way to size one),
   * each put under `work/output/` in turn.
   */
  async joinEntities(input: EntityJoinInput): Promise<{ keys: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-enrich-'));
    const instance = await DuckDBInstance.create(join(dir, 'join.duckdb'));
    const db = await instance.connect();
    try {
      const { entities, view } = input;
      const entityPaths: string[] = [];
      for (const [i, key] of entities.keys.entries()) {
        const path = join(dir, `entities-${String(i).padStart(6, '0')}.parquet`);
        writeFileSync(path, await this.props.offline.getBytes(entities.bucket, key));
        entityPaths.push(path);
      }
      const types = entities.columns.map(([n, t]) => `${ident(n)} ${DUCKDB_TYPE[t]}`);
      await db.run(
        entityPaths.length > 0
          ? `CREATE VIEW entities AS SELECT * FROM read_parquet([${entityPaths.map((p) => `'${p}'`).join(', ')}])`
          : `CREATE TABLE entities (${types.join(', ')})`,
      );
      await db.run(await viewTable(db, 'view_rows', view, await this.fetch(dir, view.name, input.files)));
      const sql = pointInTimeSelect({
        entityTable: 'entities',
        entityColumns: entities.columns.map(([name]) => name),
        sources: [{ view, table: 'view_rows', fileOrderColumn: '__file', rowOrderColumn: '__file_row' }],
        features: view.features.map((f) => ({ view: view.name, feature: f.name, outputName: f.name })),
      });
      await db.run(`CREATE TABLE joined AS ${sql}`);
      const rowsPerFile = Math.max(1, input.rowsPerFile ?? 100_000);
      const rowIds = (await db.runAndReadAll(`SELECT count(*) AS n FROM joined`)).getRowObjectsJS()[0];
      const keys: string[] = [];
      // Row ids are 0..n-1, one joined row each: a range of ids is a range of rows.
      for (let first = 0; first < Number(rowIds.n); first += rowsPerFile) {
        const file = join(dir, 'output.parquet');
        await db.run(
          `COPY (SELECT * FROM joined WHERE ${ident(ROW_ID)} >= ${first} AND ${ident(ROW_ID)} < ${first + rowsPerFile} ORDER BY ${ident(ROW_ID)}) TO '${file}' (FORMAT parquet)`,
        );
        const key = `${input.work.prefix}output/part-${String(first).padStart(12, '0')}.parquet`;
        await this.props.s3.send(
          new PutObjectCommand({
            Bucket: input.work.bucket,
            Key: key,
            Body: await readFile(file),
          }),
        );
        keys.push(key);
      }
      return { keys };
    } finally {
      db.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The files fetched into `dir`, named so their paths sort in write order as the manifest does. */
  private async fetch(dir: string, viewName: string, files: readonly OfflineFile[]): Promise<string[]> {
    const paths: string[] = [];
    for (const file of files) {
      const path = join(dir, `${viewName}-${file.key.slice(file.key.lastIndexOf('/') + 1)}`);
      writeFileSync(path, await this.props.offline.getBytes(file.bucket, file.key));
      paths.push(path);
    }
    return paths;
  }
}

/**
 * A view's rows as a DuckDB view with every column the view declares (null where a file
 * predates a feature) plus the file path and row number; an empty typed table without files.
 */
async function viewTable(
  db: Awaited<ReturnType<DuckDBInstance['connect']>>,
  table: string,
  view: TrainingSetInput['views'][number],
  paths: string[],
): Promise<string> {
  const declared = offlineColumns(view);
  if (paths.length === 0) {
    const cols = declared.map(([n, t]) => `${ident(n)} ${DUCKDB_TYPE[t]}`);
    return `CREATE TABLE ${table} (${[...cols, '__file VARCHAR', '__file_row BIGINT'].join(', ')})`;
  }
  const list = `[${paths.map((p) => `'${p}'`).join(', ')}]`;
  const source = `read_parquet(${list}, filename = true, file_row_number = true, union_by_name = true)`;
  const present = new Set(
    (await db.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`))
      .getRowObjectsJS()
      .map((r) => String(r.column_name)),
  );
  const cols = declared.map(([n, t]) =>
    present.has(n) ? ident(n) : `CAST(NULL AS ${DUCKDB_TYPE[t]}) AS ${ident(n)}`,
  );
  return `CREATE VIEW ${table} AS SELECT ${[...cols, 'filename AS __file', 'file_row_number AS __file_row'].join(', ')} FROM ${source}`;
}
