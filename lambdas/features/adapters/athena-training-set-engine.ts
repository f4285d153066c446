/**
 * Training sets on Athena (AWS): a Glue table per view version over the offline Parquet files
 * (created on first use with `CREATE EXTERNAL TABLE IF NOT EXISTS`, date partitions found by
 * partition projection, no crawler), a table over the job's entity rows, and the shared
 * point-in-time SQL written out with UNLOAD as Parquet. Runs only on AWS: its SQL is tested
 * against DuckDB (`test/integration/features-athena-sql.test.ts`), its calls are not.
 * @see https://docs.aws.amazon.com/athena/latest/ug/unload.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection-setting-up.html
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type { FeatureView } from '../../../contracts/features';
import type { EntityJoinEngine, EntityJoinInput, TrainingSetEngine, TrainingSetInput } from '../domain/ports';
import { parseTimestamp } from '../domain/validation';
import { type ColumnType, entityColumns, entityRowsToParquet } from './entity-rows-parquet';
import { TRAINING_PREFIX, viewDataPrefix } from './offline-layout';
import { offlineColumns } from './parquet-rows';
import { ident, partitionRange, pointInTimeSelect } from './point-in-time-sql';

const GLUE_TYPE: Record<ColumnType, string> = {
  INT64: 'bigint',
  DOUBLE: 'double',
  STRING: 'string',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamp',
};

/** Hive DDL quotes identifiers with backticks; DML (Trino) with double quotes. */
const ddlIdent = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** The Glue table of a view version: its columns change only with a new version. */
export const viewTableName = (view: Pick<FeatureView, 'name' | 'version'>) => `${view.name}_v${view.version}`;
export const entityTableName = (jobId: string) =>
  `entities_${jobId.replace(/[^a-z0-9]/gi, '').toLowerCase()}`;

/** The DDL of a view's table: Parquet under the view's prefix, `dt` partitions projected. */
export function viewTableDdl(database: string, bucket: string, view: FeatureView): string {
  const location = `s3://${bucket}/${viewDataPrefix(view.name)}`;
  const cols = offlineColumns(view).map(([n, t]) => `${ddlIdent(n)} ${GLUE_TYPE[t]}`);
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${ddlIdent(database)}.${ddlIdent(viewTableName(view))} (${cols.join(', ')})
PARTITIONED BY (${ddlIdent('dt')} string)
STORED AS PARQUET
LOCATION '${location}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2000-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = '${location}dt=\${dt}/'
)`;
}

/** The SELECT Athena runs (and the tests run on DuckDB): tables named as in the Glue database. */
export function athenaTrainingSetSelect(database: string, input: TrainingSetInput): string {
  const times = input.entityRows.map((r) => parseTimestamp(r[EVENT_TIMESTAMP_FIELD])!);
  const [minMs, maxMs] = [Math.min(...times), Math.max(...times)];
  const columns = entityColumns(input.views, input.entityRows);
  return pointInTimeSelect({
    entityTable: `${ident(database)}.${ident(entityTableName(input.jobId))}`,
    entityColumns: columns.slice(1).map(([n]) => n),
    features: input.features,
    sources: input.views.map((view) => {
      const range = partitionRange(view, minMs, maxMs);
      return {
        view,
        table: `${ident(database)}.${ident(viewTableName(view))}`,
        // Athena's hidden column: the object's S3 path, whose file id sorts in write order.
        fileOrderColumn: '$path',
        partitionFilter: range.from
          ? `v."dt" BETWEEN '${range.from}' AND '${range.to}'`
          : `v."dt" <= '${range.to}'`,
      };
    }),
  });
}

/** The Glue tables of one entity join: its entity rows and the offline files it may read. */
export const entityJoinTables = (runId: string) => {
  const id = runId.replace(/[^a-z0-9]/gi, '').toLowerCase();
  return { entities: `enrich_entities_${id}`, files: `enrich_files_${id}` };
};

/**
 * The SELECT of an entity join (Athena runs it; the tests run it on DuckDB): the shared
 * point-in-time SQL over the view's table, its partitions pruned by the entity rows' span and its
 * files held to the listed ones (`"$path"`, the object each row is read from), so a file written
 * after the run's instant, or never committed, is not read.
 */
export function athenaEntityJoinSelect(database: string, input: EntityJoinInput): string {
  const { view, entities } = input;
  const tables = entityJoinTables(input.runId);
  const range = partitionRange(view, entities.minEventMs ?? 0, entities.maxEventMs ?? 0);
  const dates = range.from ? `v."dt" BETWEEN '${range.from}' AND '${range.to}'` : `v."dt" <= '${range.to}'`;
  return pointInTimeSelect({
    entityTable: `${ident(database)}.${ident(tables.entities)}`,
    entityColumns: entities.columns.map(([n]) => n),
    features: view.features.map((f) => ({ view: view.name, feature: f.name, outputName: f.name })),
    sources: [
      {
        view,
        table: `${ident(database)}.${ident(viewTableName(view))}`,
        fileOrderColumn: '$path',
        partitionFilter: `${dates} AND v."$path" IN (SELECT "path" FROM ${ident(database)}.${ident(tables.files)})`,
      },
    ],
  });
}

export interface AthenaTrainingSetEngineProps {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly database: string;
  readonly workGroup: string;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
}

export class AthenaTrainingSetEngine implements TrainingSetEngine, EntityJoinEngine {
  constructor(private readonly props: AthenaTrainingSetEngineProps) {}

  async build(input: TrainingSetInput): Promise<{ outputUri: string; rowCount: number }> {
    const { bucket, database } = this.props;
    const entitiesPrefix = `${TRAINING_PREFIX}${input.jobId}/entities/`;
    const outputPrefix = `${TRAINING_PREFIX}${input.jobId}/output/`;
    const columns = entityColumns(input.views, input.entityRows);
    await this.props.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${entitiesPrefix}entities.parquet`,
        Body: entityRowsToParquet(columns, input.entityRows),
      }),
    );
    for (const view of input.views) await this.run(viewTableDdl(database, bucket, view));
    const entityTable = `${ddlIdent(database)}.${ddlIdent(entityTableName(input.jobId))}`;
    await this.run(
      `CREATE EXTERNAL TABLE IF NOT EXISTS ${entityTable} (${columns.map(([n, t]) => `${ddlIdent(n)} ${GLUE_TYPE[t]}`).join(', ')})
STORED AS PARQUET LOCATION 's3://${bucket}/${entitiesPrefix}'`,
    );
    try {
      await this.run(
        `UNLOAD (${athenaTrainingSetSelect(database, input)}) TO 's3://${bucket}/${outputPrefix}' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
      );
    } finally {
      await this.run(`DROP TABLE IF EXISTS ${entityTable}`);
    }
    return { outputUri: `s3://${bucket}/${outputPrefix}`, rowCount: input.entityRows.length };
  }

  /**
   * An entity join: a Glue table over the staged entity files, one over a text file listing the
   * offline files the join may read (`s3://` paths, one a line), the view's table, then the shared
   * SQL UNLOADed as Parquet to `work/output/`; both job tables are dropped whatever happens. The
   * output files are listed back, in key order; each row carries its `__row_id`.
   * @see https://docs.aws.amazon.com/athena/latest/ug/select.html#select-path
   */
  async joinEntities(input: EntityJoinInput): Promise<{ keys: string[] }> {
    const { database } = this.props;
    const { work, entities, view } = input;
    const tables = entityJoinTables(input.runId);
    const filesPrefix = `${work.prefix}files/`;
    const outputPrefix = `${work.prefix}output/`;
    await this.props.s3.send(
      new PutObjectCommand({
        Bucket: work.bucket,
        Key: `${filesPrefix}files.txt`,
        Body: input.files.map((f) => `s3://${f.bucket}/${f.key}\n`).join(''),
      }),
    );
    await this.run(viewTableDdl(database, this.props.bucket, view));
    const entityTable = `${ddlIdent(database)}.${ddlIdent(tables.entities)}`;
    const filesTable = `${ddlIdent(database)}.${ddlIdent(tables.files)}`;
    try {
      await this.run(
        `CREATE EXTERNAL TABLE IF NOT EXISTS ${entityTable} (${entities.columns.map(([n, t]) => `${ddlIdent(n)} ${GLUE_TYPE[t]}`).join(', ')})
STORED AS PARQUET LOCATION 's3://${entities.bucket}/${entities.prefix}'`,
      );
      await this.run(
        `CREATE EXTERNAL TABLE IF NOT EXISTS ${filesTable} (${ddlIdent('path')} string)
STORED AS TEXTFILE LOCATION 's3://${work.bucket}/${filesPrefix}'`,
      );
      await this.run(
        `UNLOAD (${athenaEntityJoinSelect(database, input)}) TO 's3://${work.bucket}/${outputPrefix}' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
      );
    } finally {
      await this.run(`DROP TABLE IF EXISTS ${entityTable}`);
      await this.run(`DROP TABLE IF EXISTS ${filesTable}`);
    }
    return { keys: await this.list(work.bucket, outputPrefix) };
  }

  private async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.props.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** Runs one statement in the workgroup and waits for it. @throws Error with Athena's reason */
  private async run(sql: string): Promise<void> {
    const { QueryExecutionId } = await this.props.athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.props.workGroup,
        QueryExecutionContext: { Database: this.props.database },
      }),
    );
    for (;;) {
      const { QueryExecution } = await this.props.athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId }),
      );
      const state = QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return;
      if (state === 'FAILED' || state === 'CANCELLED') {
        throw new Error(
          `Athena query ${QueryExecutionId} ${state}: ${QueryExecution?.Status?.StateChangeReason ?? ''}`,
        );
      }
      await new Promise((r) => setTimeout(r, this.props.pollIntervalMs ?? 1000));
    }
  }
}
