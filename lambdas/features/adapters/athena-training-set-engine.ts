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
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type { FeatureView } from '../../../contracts/features';
import type { TrainingSetEngine, TrainingSetInput } from '../domain/ports';
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

export interface AthenaTrainingSetEngineProps {
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly database: string;
  readonly workGroup: string;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
}

export class AthenaTrainingSetEngine implements TrainingSetEngine {
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
