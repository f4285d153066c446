/**
 * Erasure end to end over DynamoDB Local and s3rver: after `POST /privacy/erasures` and its run,
 * the entity is gone from the online store, from every offline Parquet file (as the manifest lists
 * them for DuckDB, and as Athena sees the partition's objects), from the capture files and ground
 * truth; the training set and the model version built from it are flagged; the receipt is in the
 * audit trail without the key; and a replayed push of the entity is refused with nothing written.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Context } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { CreateFeatureViewRequest, type FeatureView } from '../../contracts/features';
import { ERASURE_TAGS } from '../../contracts/privacy';
import { dataCaptureKey } from '../../contracts/serving';
import {
  AUDIT_TABLE,
  EXPERIMENTS_TABLE,
  MONITORING_TABLE,
  monitoringTableKeys,
  REGISTRY_TABLE,
} from '../../contracts/tables';
import {
  athenaTrainingSetSelect,
  entityTableName,
  viewTableName,
} from '../../lambdas/features/adapters/athena-training-set-engine';
import { entityColumns, entityRowsToParquet } from '../../lambdas/features/adapters/entity-rows-parquet';
import { pushRows } from '../../lambdas/features/domain/ingest';
import { InProcessErasureLauncher } from '../../lambdas/privacy/adapters/launchers';
import { makeWorker, privacyDepsFromEnv, runDepsFromEnv } from '../../lambdas/privacy/deps';
import { makeHandler } from '../../lambdas/privacy/handler';
import { predict } from '../../lambdas/serving/domain/predict';
import { validateInferenceRequest } from '../../lambdas/serving/domain/tensors';
import { DynamoDbCaptureKey } from '../../lambdas/shared/capture-key';
import { documentClient } from '../../lambdas/shared/clients';
import { buildHttpApiEvent, localContext } from '../../local/api-event';
import { matchRoute } from '../../local/api-server';
import { ensureBuckets } from '../../local/stand-ins';
import { capturedPrediction } from '../helpers/captured-prediction';
import { BOB, FEATURE_BUCKET, type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';
import type { HttpCall } from '../helpers/http-call';
import { registryApi } from '../helpers/registry-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';

const ARTIFACTS = 'erasure-artifacts';
const HOUR = 3_600_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

let h: FeaturesHarness;
/** The registry's API, as a client registers the model the training set lineage names. */
let registry: HttpCall;
let launcher: InProcessErasureLauncher;
// biome-ignore lint/suspicious/noExplicitAny: replies are checked field by field
let privacy: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
let trainingSetId: string;
let captureKey: string;
let externalCaptureKey: string;
/** Where monitoring reads capture written outside serving (`mlops:monitoring`'s `capturePrefix`). */
const EXTERNAL_CAPTURE = 'external/capture/';

const VIEW = {
  name: 'customer_stats',
  entities: [{ name: 'customer_id', valueType: 'int64' }],
  features: [{ name: 'spend', dtype: 'float64' }],
  ttlSeconds: 0,
};
// A composite key: the entity goes from it too.
const PAIRS = {
  name: 'customer_merchant',
  entities: [
    { name: 'customer_id', valueType: 'int64' },
    { name: 'merchant_id', valueType: 'string' },
  ],
  features: [{ name: 'visits', dtype: 'int64' }],
  ttlSeconds: 0,
};

const capture = (inferenceId: string, input: unknown) =>
  capturedPrediction(ARTIFACTS, inferenceId, input, new Date(now));

/**
 * The request an enriched prediction for `customerId` sends its endpoint (what data capture
 * records), from the predict path with the platform's capture key: features, no entity key.
 */
async function enrichedRequest(customerId: number): Promise<unknown> {
  let sent: unknown;
  await predict(
    {
      endpoints: {
        invoke: async (_endpoint, body) => {
          sent = body;
          return { variant: 'AllTraffic', body: { outputs: [] } };
        },
      },
      routing: { endpointName: (m) => `mlops-dev-${m}`, variants: async () => [] },
      features: { read: async () => [[0.25]] },
      captureKey: new DynamoDbCaptureKey({
        client: documentClient(),
        table: process.env[ENV.featureRegistryTable]!,
      }),
    },
    'churn',
    validateInferenceRequest({
      parameters: { entities: { customer_id: [customerId] }, features: ['customer_stats:spend'] },
    }),
  );
  return sent;
}

beforeAll(async () => {
  h = await startFeaturesHarness();
  Object.assign(process.env, {
    [ENV.artifactsBucket]: ARTIFACTS,
    [ENV.registryTable]: REGISTRY_TABLE.id,
    [ENV.monitoringTable]: MONITORING_TABLE.id,
    [ENV.experimentsTable]: EXPERIMENTS_TABLE.id,
  });
  delete process.env[ENV.privacyErasureWorkerFunction];
  // The environment the stack gives the worker: it finds churn's capture under mlops-dev-churn,
  // under serving's prefix and the one monitoring reads capture written elsewhere from.
  process.env[ENV.envName] = 'dev';
  process.env[ENV.privacyCapturePrefixes] = JSON.stringify(['serving/data-capture/', EXTERNAL_CAPTURE]);
  await ensureBuckets(h.s3, [ARTIFACTS]);

  // Feature data: two pushes (two files, two dates) for 1001 and 1002, and the composite view.
  expect((await h.call('POST', '/feature-views', VIEW)).status).toBe(201);
  expect((await h.call('POST', '/feature-views', PAIRS)).status).toBe(201);
  for (const [t, spend] of [
    [now - 30 * HOUR, 1],
    [now - 2 * HOUR, 2],
  ]) {
    const rows = [1001, 1002].map((c) => ({ customer_id: c, event_timestamp: iso(t), spend: c + spend }));
    expect((await h.call('POST', '/push', { featureView: 'customer_stats', rows })).status).toBe(200);
  }
  const pairs = [1001, 1002].map((c) => ({
    customer_id: c,
    merchant_id: 'm1',
    event_timestamp: iso(now - HOUR),
    visits: 3,
  }));
  expect((await h.call('POST', '/push', { featureView: 'customer_merchant', rows: pairs })).status).toBe(200);

  // A training set built from both customers, and a model version whose lineage names it.
  const job = await h.call('POST', '/training-sets', {
    features: ['customer_stats:spend'],
    entityRows: [1001, 1002].map((c) => ({ customer_id: c, event_timestamp: iso(now) })),
  });
  expect(job.status).toBe(202);
  trainingSetId = job.body.jobId;
  await h.launcher.settle();
  const built = await h.call('GET', `/training-sets/${trainingSetId}`);
  expect(built.body.status).toBe('SUCCEEDED');
  registry = registryApi({ idempotency: false });
  expect((await registry('POST', '/models', { name: 'churn' })).status).toBe(201);
  const registered = await registry('POST', '/models/churn/versions', {
    lineage: { datasetUri: built.body.outputUri },
    artifact: { sha256: 'a'.repeat(64), sizeBytes: 10 },
  });
  expect(registered.status).toBe(201);

  // Captured inferences: 1001 by payload field, 1002 (kept), and an enriched one by inference id.
  captureKey = dataCaptureKey(
    'serving/data-capture/',
    'mlops-dev-churn',
    'AllTraffic',
    new Date(now),
    randomUUID(),
  );
  const lines = [
    capture('inf-1', { customer_id: 1001, inputs: [] }),
    capture('inf-2', { inputs: [{ name: 'customer_id', datatype: 'INT64', shape: [1], data: [1002] }] }),
    capture('inf-3', { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 1], data: [0.7] }] }),
    capture('inf-4', { inputs: [{ name: 'customer_id', datatype: 'INT64', shape: [1], data: [1001] }] }),
    // Enriched predictions outside any experiment: found by the keyed hash of their entity key.
    capture('inf-7', await enrichedRequest(1001)),
    capture('inf-8', await enrichedRequest(1002)),
  ];
  await h.s3.send(
    new PutObjectCommand({ Bucket: ARTIFACTS, Key: captureKey, Body: `${lines.join('\n')}\n` }),
  );
  externalCaptureKey = dataCaptureKey(
    EXTERNAL_CAPTURE,
    'mlops-dev-churn',
    'AllTraffic',
    new Date(now),
    'ext',
  );
  const external = [
    capture('inf-5', { inputs: [{ name: 'customer_id', datatype: 'INT64', shape: [1], data: [1001] }] }),
    capture('inf-6', { inputs: [{ name: 'customer_id', datatype: 'INT64', shape: [1], data: [1002] }] }),
  ];
  await h.s3.send(
    new PutObjectCommand({ Bucket: ARTIFACTS, Key: externalCaptureKey, Body: `${external.join('\n')}\n` }),
  );
  for (const id of ['inf-1', 'inf-2', 'inf-3', 'inf-4', 'inf-7']) {
    await documentClient().send(
      new PutCommand({
        TableName: MONITORING_TABLE.id,
        Item: { ...monitoringTableKeys.label('churn', id), label: 1 },
      }),
    );
  }

  // A run hands over to the next one through the same launcher, as the worker invokes itself.
  launcher = new InProcessErasureLauncher(
    makeWorker(runDepsFromEnv({ launch: (id) => launcher.launch(id) })),
  );
  const handler = makeHandler({ ...privacyDepsFromEnv(), launcher });
  privacy = async (method, path, body) => {
    const route = matchRoute(method, path);
    if (!route) throw new Error(`no route for ${method} ${path}`);
    const event = buildHttpApiEvent(
      {
        method,
        rawPath: path,
        rawQueryString: '',
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
        sourceIp: '127.0.0.1',
      },
      route,
      { accessKeyId: 'AKIATEST', principalArn: BOB },
    );
    const result = await handler(event, localContext('privacy') as Context);
    return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
  };
}, 120_000);
afterAll(async () => {
  await launcher?.settle();
  await h?.stop();
});

/** Every object key (and ETag) under a prefix of a bucket. */
async function objects(bucket: string, prefix: string): Promise<string[]> {
  const out = await h.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => `${o.Key} ${o.ETag}`).sort();
}

const online = (ids: number[]) =>
  h.call('POST', '/get-online-features', {
    features: ['customer_stats:spend'],
    entities: { customer_id: ids },
  });

describe('erasure', () => {
  let erasureId: string;

  it('refuses a bad request with a 400 and records nothing', async () => {
    const bad = await privacy('POST', '/privacy/erasures', { entities: { customer_id: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
    expect((await privacy('GET', `/privacy/erasures/${randomUUID()}`)).status).toBe(404);
  });

  it('is accepted with 202, then runs to COMPLETED with its receipt', async () => {
    // Prepare: the entity is served before
    expect((await online([1001])).body.results[1].statuses).toEqual(['PRESENT']);
    // Act
    const accepted = await privacy('POST', '/privacy/erasures', {
      entities: { customer_id: [1001] },
      inferenceIds: ['inf-3'],
      reason: 'ticket 42',
    });
    await launcher.settle();
    // Assess
    expect(accepted.status).toBe(202);
    expectReplyMatchesRoute('CreateErasure', accepted);
    expect(accepted.body).toMatchObject({ status: 'PENDING', keyCounts: { customer_id: 1 } });
    erasureId = accepted.body.erasureId;
    const done = await privacy('GET', `/privacy/erasures/${erasureId}`);
    expectReplyMatchesRoute('GetErasure', done);
    expect(done.body.status).toBe('COMPLETED');
    expect(done.body.result).toEqual({
      onlineItemsDeleted: 2,
      offlineFilesRewritten: 3,
      offlineRowsRemoved: 3,
      captureFilesRewritten: 2,
      captureRecordsRemoved: 5,
      groundTruthLabelsDeleted: 4,
      experimentPredictionsDeleted: 0,
      experimentUnitMarkersDeleted: 0,
      experimentOutcomeMarkersRedacted: 0,
      trainingSets: [trainingSetId],
      modelVersions: ['churn:1'],
    });
    expect(JSON.stringify(done.body)).not.toContain('1001');
  });

  it('leaves nothing online for the entity, and the others as they were', async () => {
    const reply = await online([1001, 1002]);
    expect(reply.body.results[1].statuses).toEqual(['NOT_FOUND', 'PRESENT']);
    expect(reply.body.results[1].values).toEqual([null, 1004]);
  });

  it('leaves nothing in a DuckDB point-in-time join, nor in the Athena SQL over every object of the partitions', async () => {
    // DuckDB engine (through the manifest)
    const job = await h.call('POST', '/training-sets', {
      features: ['customer_stats:spend'],
      entityRows: [1001, 1002].map((c) => ({ customer_id: c, event_timestamp: iso(now) })),
    });
    await h.launcher.settle();
    const built = await h.call('GET', `/training-sets/${job.body.jobId}`);
    const rows = await parquetRows(built.body.outputUri);
    expect(rows.map((r) => [Number(r.customer_id), r.spend])).toEqual([
      [1001, null],
      [1002, 1004],
    ]);
    // Athena: its table reads every object under the view's prefix, manifest or not.
    const athena = await athenaJoin();
    expect(athena).toEqual([
      [1001, null],
      [1002, 1004],
    ]);
  });

  it('removes the entity from the capture files and ground truth, keeping the rest', async () => {
    const text = await (
      await h.s3.send(new GetObjectCommand({ Bucket: ARTIFACTS, Key: captureKey }))
    ).Body!.transformToString();
    const ids = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).eventMetadata.inferenceId);
    expect(ids).toEqual(['inf-2', 'inf-8']);
    expect(text).not.toContain('1001');
    const external = await (
      await h.s3.send(new GetObjectCommand({ Bucket: ARTIFACTS, Key: externalCaptureKey }))
    ).Body!.transformToString();
    expect(
      external
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).eventMetadata.inferenceId),
    ).toEqual(['inf-6']);
    const labels = await documentClient().send(
      new QueryCommand({
        TableName: MONITORING_TABLE.id,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': monitoringTableKeys.label('churn', 'x').pk },
      }),
    );
    expect((labels.Items ?? []).map((i) => i.sk)).toEqual(['inf-2']);
  });

  it('flags the training set and the model version built from the entity', async () => {
    const job = await h.call('GET', `/training-sets/${trainingSetId}`);
    expect(job.body.erasureIds).toEqual([erasureId]);
    const version = (await registry('GET', '/models/churn/versions/1')).body;
    expect(version.tags).toMatchObject({
      [ERASURE_TAGS.flagged]: 'true',
      [ERASURE_TAGS.lastErasure]: erasureId,
    });
  });

  it('writes the receipt to the audit trail (the outbox) without the key', async () => {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: AUDIT_TABLE.id,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ERASURE#${erasureId}` },
      }),
    );
    expect((out.Items ?? []).map((i) => i.action)).toEqual(['EntityErasureRequested', 'EntityErased']);
    expect(JSON.stringify(out.Items)).not.toContain('1001');
    const stored = await documentClient().send(
      new GetCommand({
        TableName: process.env[ENV.featureRegistryTable],
        Key: { pk: `ERASURE#${erasureId}`, sk: 'ERASURE' },
      }),
    );
    expect(JSON.stringify(stored.Item)).not.toContain('1001');
  });

  it('refuses a replayed push of the entity with 409 ENTITY_ERASED and writes nothing', async () => {
    // Prepare
    const before = [await objects(FEATURE_BUCKET, 'features/'), (await online([1001])).body.results[1]];
    // Act
    const replay = await h.call('POST', '/push', {
      featureView: 'customer_stats',
      rows: [
        { customer_id: 1002, event_timestamp: iso(now - HOUR), spend: 5 },
        { customer_id: 1001, event_timestamp: iso(now - HOUR), spend: 9 },
      ],
    });
    const composite = await h.call('POST', '/push', {
      featureView: 'customer_merchant',
      rows: [{ customer_id: 1001, merchant_id: 'm2', event_timestamp: iso(now), visits: 1 }],
    });
    // Assess
    expect(replay.status).toBe(409);
    expect(replay.body.error).toMatchObject({ code: 'ENTITY_ERASED', details: { rows: [1], count: 1 } });
    expect(composite.status).toBe(409);
    expect([await objects(FEATURE_BUCKET, 'features/'), (await online([1001])).body.results[1]]).toEqual(
      before,
    );
  });

  it('skips, with a count, rows of the entity that reach the offline store behind the erasure', async () => {
    // Prepare: a file written by a push that raced the erasure (checked before the tombstone)
    const view = (await h.call('GET', '/feature-views/customer_stats')).body as FeatureView;
    await h.stores.offline.append(view, [
      { entityKey: { customer_id: 1001 }, eventTimestampMs: now - HOUR, values: { spend: 7 } },
    ]);
    // Act
    const run = await h.call('POST', '/feature-views/customer_stats/materialize', {
      start: iso(now - 2 * HOUR),
      end: iso(now),
    });
    // Assess
    expect(run.status).toBe(200);
    expect(run.body.rowsErased).toBe(1);
    expect((await online([1001])).body.results[1].statuses).toEqual(['NOT_FOUND']);
  });
});

describe('a push racing an erasure', () => {
  it('takes its offline files back when the tombstone lands between its check and its write', async () => {
    // Prepare: the tombstone store answers "not erased" to the first check only
    const view = (await h.call('GET', '/feature-views/customer_stats')).body as FeatureView;
    const before = await objects(FEATURE_BUCKET, 'features/');
    let checks = 0;
    const tombstones = {
      erased: async (hashes: readonly string[]) =>
        checks++ === 0 ? new Set<string>() : h.stores.tombstones!.erased(hashes),
    };
    // Act
    const push = pushRows(
      { ...h.stores, tombstones },
      {
        featureView: view.name,
        rows: [{ customer_id: 1001, event_timestamp: iso(now - HOUR), spend: 4 }],
      },
    );
    // Assess
    await expect(push).rejects.toMatchObject({ code: 'ENTITY_ERASED' });
    expect(checks).toBe(2);
    expect(await objects(FEATURE_BUCKET, 'features/')).toEqual(before);
  });
});

describe('concurrent erasures', () => {
  it('run one at a time, so neither brings back what the other removed from a shared file', async () => {
    // Prepare: one file holding both entities
    const view = { ...VIEW, name: 'shared_file' };
    expect((await h.call('POST', '/feature-views', view)).status).toBe(201);
    const rows = [2001, 2002, 2003].map((c) => ({
      customer_id: c,
      event_timestamp: iso(now - HOUR),
      spend: 1,
    }));
    expect((await h.call('POST', '/push', { featureView: 'shared_file', rows })).status).toBe(200);
    // Act: both accepted before either runs
    const [a, b] = await Promise.all(
      [2001, 2002].map((c) => privacy('POST', '/privacy/erasures', { entities: { customer_id: [c] } })),
    );
    await launcher.settle();
    // Assess
    for (const e of [a, b]) {
      expect((await privacy('GET', `/privacy/erasures/${e.body.erasureId}`)).body.status).toBe('COMPLETED');
    }
    const stored = (await h.call('GET', '/feature-views/shared_file')).body as FeatureView;
    const left: number[] = [];
    for (const f of await h.stores.offline.listFiles('shared_file')) {
      for (const r of await h.stores.offline.readRows(stored, f)) left.push(Number(r.entityKey.customer_id));
    }
    expect(left).toEqual([2003]);
    expect(await objects(FEATURE_BUCKET, 'features/offline/shared_file/')).toHaveLength(1);
  });
});

/** Rows of a Parquet object in the feature bucket. */
async function parquetRows(uri: string): Promise<Array<Record<string, unknown>>> {
  const key = uri.replace(`s3://${FEATURE_BUCKET}/`, '');
  const bytes = await (
    await h.s3.send(new GetObjectCommand({ Bucket: FEATURE_BUCKET, Key: key }))
  ).Body!.transformToByteArray();
  const dir = mkdtempSync(join(tmpdir(), 'erasure-'));
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    writeFileSync(join(dir, 'out.parquet'), bytes);
    return (
      await db.runAndReadAll(`SELECT * FROM read_parquet('${join(dir, 'out.parquet')}')`)
    ).getRowObjectsJS();
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The SQL the Athena engine generates, on DuckDB over every data object of the view's prefix. */
async function athenaJoin(): Promise<Array<[number, unknown]>> {
  const at = iso(now);
  const view: FeatureView = {
    ...CreateFeatureViewRequest.parse(VIEW),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const entityRows = [1001, 1002].map((c) => ({ customer_id: c, event_timestamp: at }));
  const input = {
    jobId: randomUUID(),
    views: [view],
    features: [{ view: 'customer_stats', feature: 'spend', outputName: 'spend' }],
    entityRows,
  };
  const dir = mkdtempSync(join(tmpdir(), 'erasure-athena-'));
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const listed = await h.s3.send(
      new ListObjectsV2Command({ Bucket: FEATURE_BUCKET, Prefix: 'features/offline/customer_stats/' }),
    );
    const paths: string[] = [];
    for (const o of listed.Contents ?? []) {
      const path = join(dir, o.Key!.replaceAll('/', '_'));
      const bytes = await (
        await h.s3.send(new GetObjectCommand({ Bucket: FEATURE_BUCKET, Key: o.Key! }))
      ).Body!.transformToByteArray();
      writeFileSync(path, bytes);
      paths.push(path);
    }
    await db.run('CREATE SCHEMA feature_store');
    await db.run(
      `CREATE VIEW feature_store."${viewTableName(view)}" AS SELECT *, filename AS "$path",
         regexp_extract(filename, 'dt=([0-9-]+)', 1) AS dt
       FROM read_parquet([${paths.map((p) => `'${p}'`).join(', ')}], filename = true)`,
    );
    const entities = join(dir, 'entities.parquet');
    writeFileSync(entities, entityRowsToParquet(entityColumns([view], entityRows), entityRows));
    await db.run(
      `CREATE VIEW feature_store."${entityTableName(input.jobId)}" AS SELECT * FROM read_parquet('${entities}')`,
    );
    const result = await db.runAndReadAll(athenaTrainingSetSelect('feature_store', input));
    return result.getRowObjectsJS().map((r) => [Number(r.customer_id), r.spend ?? null]);
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}
