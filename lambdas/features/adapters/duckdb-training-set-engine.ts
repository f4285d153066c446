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
import type { OfflineStore, TrainingSetEngine, TrainingSetInput } from '../domain/ports';
import { parseTimestamp } from '../domain/validation';
import { entityColumns, entityRowsToParquet } from './entity-rows-parquet';
import { TRAINING_PREFIX } from './offline-layout';
import { offlineColumns } from './parquet-rows';
import { ident, pointInTimeSelect, type ViewSource } from './point-in-time-sql';

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

export class DuckDbTrainingSetEngine implements TrainingSetEngine {
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
        const paths: string[] = [];
        for (const file of files) {
          // File ids sort in write order, so the local path orders files as the manifest does.
          const path = join(dir, `${view.name}-${file.key.slice(file.key.lastIndexOf('/') + 1)}`);
          writeFileSync(path, await this.props.offline.getBytes(file.bucket, file.key));
          paths.push(path);
        }
        await db.run(await viewTable(db, table, view, paths));
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
