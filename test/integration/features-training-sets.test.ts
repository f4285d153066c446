/**
 * Training sets built by the engines must equal the domain's point-in-time join, which equals
 * pandas' merge_asof on the committed fixtures. Checked for the DuckDB engine end to end (S3 in,
 * Parquet out) and for the SQL the Athena engine generates, run on DuckDB over the same files
 * laid out as Athena sees them (`"$path"`, `dt` partitions). Athena itself needs AWS.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetReadObjects } from 'hyparquet';
import {
  CreateFeatureViewRequest,
  type FeatureRow,
  type FeatureValue,
  type FeatureView,
} from '../../contracts/features';
import {
  athenaEntityJoinSelect,
  athenaTrainingSetSelect,
  entityJoinTables,
  entityTableName,
  viewTableName,
} from '../../lambdas/features/adapters/athena-training-set-engine';
import { DuckDbTrainingSetEngine } from '../../lambdas/features/adapters/duckdb-training-set-engine';
import { EntityTableWriter } from '../../lambdas/features/adapters/entity-list-table';
import { entityColumns, entityRowsToParquet } from '../../lambdas/features/adapters/entity-rows-parquet';
import { S3OfflineStore } from '../../lambdas/features/adapters/s3-offline-store';
import { joinEntityTable } from '../../lambdas/features/domain/enrich';
import { resolveFeatureRefs } from '../../lambdas/features/domain/online';
import { pointInTimeJoin, toEntityRows } from '../../lambdas/features/domain/point-in-time';
import type { TrainingSetInput } from '../../lambdas/features/domain/ports';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'pit-fixtures';
const standIns = useStandIns({ buckets: [BUCKET] });

interface PitFixture {
  readonly name: string;
  readonly fullFeatureNames: boolean;
  readonly views: ReadonlyArray<Record<string, unknown>>;
  readonly featureRefs: string[];
  readonly history: Record<string, FeatureRow[]>;
  readonly entityRows: ReadonlyArray<{ fields: Record<string, unknown> }>;
  readonly expected: ReadonlyArray<Record<string, FeatureValue>>;
}

const dir = join(__dirname, '..', 'fixtures', 'features');
const fixtures = readdirSync(dir)
  .filter((f) => /^pit-.*\.json$/.test(f))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as PitFixture);

/** The fixture as engine input, plus the domain's reference answer. */
function prepare(fixture: PitFixture, jobId: string) {
  const at = '2024-01-01T00:00:00.000Z';
  const views = fixture.views.map(
    (v): FeatureView => ({ ...CreateFeatureViewRequest.parse(v), version: 1, createdAt: at, updatedAt: at }),
  );
  const features = resolveFeatureRefs(
    new Map(views.map((v) => [v.name, v])),
    fixture.featureRefs,
    fixture.fullFeatureNames,
  );
  const entityRows = fixture.entityRows.map((r) => r.fields);
  const reference = pointInTimeJoin(
    toEntityRows(features, entityRows),
    features,
    new Map(Object.entries(fixture.history)),
  );
  const input: TrainingSetInput = {
    jobId,
    views,
    features: features.map((f) => ({ view: f.view.name, feature: f.feature, outputName: f.outputName })),
    entityRows,
  };
  return { views, input, reference: reference.map((r) => r.features) };
}

/** Output rows as plain JSON values: bigint to number, feature columns only. */
async function featureColumns(bytes: Uint8Array, outputs: readonly string[]) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
  return rows.map((r) =>
    Object.fromEntries(outputs.map((o) => [o, typeof r[o] === 'bigint' ? Number(r[o]) : (r[o] ?? null)])),
  );
}

describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (name, fixture) => {
  it('DuckDB engine writes exactly the reference join (and pandas) as Parquet', async () => {
    // Prepare
    const offline = new S3OfflineStore({ client: standIns.s3, bucket: BUCKET });
    const { views, input, reference } = prepare(fixture, `duckdb-${name}`);
    for (const view of views) await offline.append(view, fixture.history[view.name] ?? []);
    const engine = new DuckDbTrainingSetEngine({ offline, s3: standIns.s3, bucket: BUCKET });
    // Act
    const out = await engine.build(input);
    // Assess
    const key = out.outputUri.replace(`s3://${BUCKET}/`, '');
    const obj = await standIns.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const got = await featureColumns(
      await obj.Body!.transformToByteArray(),
      input.features.map((f) => f.outputName),
    );
    expect(out.rowCount).toBe(fixture.entityRows.length);
    expect(got).toEqual(reference);
    expect(got).toEqual(fixture.expected);
  });

  it("Athena's generated SQL, run on DuckDB over the same files, gives the same rows", async () => {
    // Prepare: the files in Athena's layout, tables named as the Glue database has them
    const offline = new S3OfflineStore({ client: standIns.s3, bucket: BUCKET });
    const { views, input, reference } = prepare(fixture, `athena-${name}`);
    const tmp = mkdtempSync(join(tmpdir(), 'athena-sql-'));
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      await db.run('CREATE SCHEMA feature_store');
      for (const view of views) {
        const files = await offline.listFiles(view.name);
        const paths: string[] = [];
        for (const f of files) {
          const path = join(tmp, f.key.replaceAll('/', '_'));
          writeFileSync(path, await offline.getBytes(f.bucket, f.key));
          paths.push(path);
        }
        await db.run(
          `CREATE VIEW feature_store."${viewTableName(view)}" AS SELECT *, filename AS "$path",
             regexp_extract(filename, 'dt=([0-9-]+)', 1) AS dt
           FROM read_parquet([${paths.map((p) => `'${p}'`).join(', ')}], filename = true)`,
        );
      }
      const entities = join(tmp, 'entities.parquet');
      writeFileSync(entities, entityRowsToParquet(entityColumns(views, input.entityRows), input.entityRows));
      await db.run(
        `CREATE VIEW feature_store."${entityTableName(input.jobId)}" AS SELECT * FROM read_parquet('${entities}')`,
      );
      // Act
      const result = await db.runAndReadAll(athenaTrainingSetSelect('feature_store', input));
      // Assess
      const got = result
        .getRowObjectsJS()
        .map((r) =>
          Object.fromEntries(
            input.features.map((f) => [
              f.outputName,
              typeof r[f.outputName] === 'bigint' ? Number(r[f.outputName]) : (r[f.outputName] ?? null),
            ]),
          ),
        );
      expect(got).toEqual(reference);
    } finally {
      db.closeSync();
      instance.closeSync();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('entity joins (batch enrichment)', () => {
  const HOUR = 3_600_000;
  const T0 = Date.parse('2024-03-01T00:00:00Z');
  const at = new Date(T0).toISOString();
  const view: FeatureView = {
    ...CreateFeatureViewRequest.parse({
      name: 'enrich_riders',
      entities: [{ name: 'rider_id', valueType: 'int64' }],
      features: [{ name: 'trips', dtype: 'float64' }],
    }),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const row = (rider: number, atMs: number, trips: number): FeatureRow => ({
    entityKey: { rider_id: rider },
    eventTimestampMs: atMs,
    values: { trips },
  });

  it("joins on DuckDB as Athena's SQL does, reading only the files it is given, in the entity list's order", async () => {
    // Prepare: a file committed before asOf, one written after it (the join is not given it), and
    // an entity list of 5 rows (rider 4 has no history), staged as the engine's entity table
    const asOf = T0 + 10 * HOUR;
    const store = (clock: number) =>
      new S3OfflineStore({ client: standIns.s3, bucket: BUCKET, clock: () => clock });
    await store(T0 + HOUR).append(view, [row(1, T0, 10), row(2, T0, 20), row(3, T0 + HOUR, 30)]);
    await store(asOf + HOUR).append(view, [row(1, T0 + 2 * HOUR, 99)]);
    const offline = store(Date.now());
    const writer = new EntityTableWriter({
      view,
      header: ['id', 'rider_id'],
      asOf: new Date(asOf),
      target: { bucket: BUCKET, prefix: 'enrich-test/entities/' },
      rowsPerFile: 2,
      put: async (bucket, key, body) => {
        await standIns.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      },
    });
    for (const [id, rider] of [
      ['a', '3'],
      ['b', '1'],
      ['c', '4'],
      ['d', '2'],
      ['e', '1'],
    ])
      await writer.add([id, rider]);
    const entities = await writer.close();
    const engine = new DuckDbTrainingSetEngine({ offline, s3: standIns.s3, bucket: BUCKET });

    // Act: the engine, through the domain's file filter
    const { keys } = await joinEntityTable(
      { offline, engine },
      view,
      { runId: 'run-1', entities, work: { bucket: BUCKET, prefix: 'enrich-test/work/' }, rowsPerFile: 3 },
      new Date(asOf),
    );
    const engineRows = [];
    for (const key of keys) {
      const obj = await standIns.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      engineRows.push(
        ...(await featureColumns(await obj.Body!.transformToByteArray(), ['__row_id', 'id', 'trips'])),
      );
    }

    // Act: Athena's SQL on DuckDB, over the same files laid out as Athena sees them
    const committed = (await offline.listFiles(view.name)).filter((f) => f.writtenAtMs <= asOf);
    const tmp = mkdtempSync(join(tmpdir(), 'athena-enrich-'));
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    let athenaRows: Array<Record<string, unknown>>;
    try {
      await db.run('CREATE SCHEMA feature_store');
      const all = await offline.listFiles(view.name);
      const paths: string[] = [];
      for (const [i, f] of all.entries()) {
        const path = join(tmp, `view-${i}.parquet`);
        writeFileSync(path, await offline.getBytes(f.bucket, f.key));
        paths.push(path);
      }
      // "$path" as Athena gives it (the object's s3:// URI), so the file list can name it.
      const s3Path = paths.map((p, i) => `WHEN '${p}' THEN 's3://${all[i].bucket}/${all[i].key}'`);
      await db.run(
        `CREATE VIEW feature_store."${viewTableName(view)}" AS SELECT *,
           CASE filename ${s3Path.join(' ')} END AS "$path",
           regexp_extract(CASE filename ${s3Path.join(' ')} END, 'dt=([0-9-]+)', 1) AS dt
         FROM read_parquet([${paths.map((p) => `'${p}'`).join(', ')}], filename = true)`,
      );
      const tables = entityJoinTables('run-1');
      const entityFiles: string[] = [];
      for (const key of entities.keys) {
        const path = join(tmp, key.replaceAll('/', '_'));
        writeFileSync(path, await offline.getBytes(BUCKET, key));
        entityFiles.push(path);
      }
      await db.run(
        `CREATE VIEW feature_store."${tables.entities}" AS SELECT * FROM read_parquet([${entityFiles.map((p) => `'${p}'`).join(', ')}])`,
      );
      await db.run(
        `CREATE TABLE feature_store."${tables.files}" AS SELECT * FROM (VALUES ${committed.map((f) => `('s3://${f.bucket}/${f.key}')`).join(', ')}) t(path)`,
      );
      const sql = athenaEntityJoinSelect('feature_store', {
        runId: 'run-1',
        view,
        entities,
        files: committed,
        work: { bucket: BUCKET, prefix: '' },
      });
      athenaRows = (await db.runAndReadAll(sql)).getRowObjectsJS().map((r) => ({
        __row_id: Number(r.__row_id),
        id: r.id,
        trips: r.trips ?? null,
      }));
    } finally {
      db.closeSync();
      instance.closeSync();
      rmSync(tmp, { recursive: true, force: true });
    }

    // Assess: the list's order and ids, as of asOf (rider 1's late row unread), null without history
    const expected = [
      { __row_id: 0, id: 'a', trips: 30 },
      { __row_id: 1, id: 'b', trips: 10 },
      { __row_id: 2, id: 'c', trips: null },
      { __row_id: 3, id: 'd', trips: 20 },
      { __row_id: 4, id: 'e', trips: 10 },
    ];
    expect(keys).toHaveLength(2);
    expect(engineRows).toEqual(expected);
    expect(athenaRows).toEqual(expected);
  });
});
