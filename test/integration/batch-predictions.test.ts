/**
 * Batch predictions end to end over DynamoDB Local and s3rver: the API records and starts a job,
 * the synthesized state machine runs it (Distributed Map over CSV, JSON Lines and a manifest of
 * Parquet row groups; ItemBatcher; failure tolerance; ResultWriter; finalize), and every input row
 * is either an output row keyed by the key column or a dead-letter row with its source and reason.
 * A failed job resumes and ends with a clean run's output. The Batch Transform branch runs on the
 * local SageMaker (CreateModel, CreateTransformJob .sync) and writes the map's output, row for row.
 * Bad requests are 4xx with nothing stored.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  type BatchPrediction,
  BatchPredictionSchedule,
  type ScheduledBatchEvent,
  transformModelName,
} from '../../contracts/batch-predictions';
import { MAX_BATCH_UPLOAD_BYTES } from '../../contracts/batch-uploads';
import { CreateFeatureViewRequest, type FeatureView } from '../../contracts/features';
import { FEATURE_REGISTRY_TABLE } from '../../contracts/tables';
import { DynamoDbFeatureViewStore } from '../../lambdas/features';
import { S3OfflineStore } from '../../lambdas/features/adapters/s3-offline-store';
import { toFeatureRows } from '../../lambdas/features/domain/validation';
import { documentClient } from '../../lambdas/shared/clients';
import { resourcesOfType } from '../../local/cdk-template';
import { LocalEventBus } from '../../local/event-bus';
import { LOCAL_FEATURES_BUCKET } from '../../local/function-environment';
import type { LocalLambdaService } from '../../local/lambda-service';
import { LocalRules } from '../../local/rules';
import {
  BATCH_BUCKET,
  batchTemplate,
  FEATURES,
  newKey,
  referenceScore,
  useBatchHarness,
} from '../helpers/batch-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true, buckets: [BATCH_BUCKET, LOCAL_FEATURES_BUCKET] });
// Small batches so a few hundred rows make many children.
const harness = useBatchHarness(standIns, { rowsPerBatch: 50 });
// Batches as large as the default, for the accounting run over 10^5 rows.
const large = useBatchHarness(standIns, { rowsPerBatch: 1000, maxConcurrency: 8 });
// Batch Transform through the local SageMaker, as npm start runs it.
const transform = useBatchHarness(standIns, { rowsPerBatch: 50 }, { transform: true });

const row = (i: number) => [i * 0.01, (i % 7) - 3, Math.sin(i)];
/** Every 50th row (from 13) has a feature the model cannot take. */
const poisoned = (i: number) => i % 50 === 13;

function csv(n: number): string {
  const lines = [`id,${FEATURES.join(',')}`];
  for (let i = 0; i < n; i++)
    lines.push(`id-${i},${poisoned(i) ? 'oops' : row(i)[0]},${row(i).slice(1).join(',')}`);
  return `${lines.join('\n')}\n`;
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

async function readLines(dir: string) {
  const h = harness();
  return (await Promise.all((await h.list(dir)).map((k) => h.text(k)))).flatMap(jsonLines);
}

async function outputsOf(prefix: string) {
  return {
    predictions: await readLines(`${prefix}predictions/`),
    deadLetters: await readLines(`${prefix}dead-letter/`),
  };
}

describe('POST /batch-predictions', () => {
  it('refuses bad requests with a 4xx and stores nothing', async () => {
    const h = harness();
    await h.registerModel('refused');
    const good = {
      model: 'refused',
      version: 1,
      input: { uri: `s3://${BATCH_BUCKET}/in/x.csv`, format: 'csv' },
      keyColumn: 'id',
      output: { uri: `s3://${BATCH_BUCKET}/out/` },
    };
    const cases: Array<[unknown, number, string]> = [
      [{ ...good, keyColumn: undefined }, 400, 'INVALID_REQUEST'],
      [{ ...good, alias: 'champion' }, 400, 'INVALID_REQUEST'],
      [{ ...good, input: { uri: 'https://x/y', format: 'csv' } }, 400, 'INVALID_REQUEST'],
      [{ ...good, input: { uri: `s3://${BATCH_BUCKET}/x`, format: 'xlsx' } }, 400, 'INVALID_REQUEST'],
      [{ ...good, output: { uri: 's3://someone-elses-bucket/out/' } }, 400, 'BUCKET_NOT_ALLOWED'],
      [{ ...good, model: 'nope' }, 404, 'MODEL_NOT_FOUND'],
      [{ ...good, version: 9 }, 404, 'VERSION_NOT_FOUND'],
      [{ ...good, version: undefined, alias: 'gold' }, 404, 'ALIAS_NOT_FOUND'],
      [{ ...good, toleratedFailurePercent: 101 }, 400, 'INVALID_REQUEST'],
      [
        { ...good, input: { featureView: 'customers', entities: 's3://elsewhere/e.csv' } },
        400,
        'BUCKET_NOT_ALLOWED',
      ],
      [
        { ...good, input: { featureView: 'customers', entities: `s3://${BATCH_BUCKET}/in/none.csv` } },
        404,
        'OBJECT_NOT_FOUND',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await h.call('POST', '/batch-predictions', body);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status, code });
    }
    const listed = await h.call('GET', '/models/refused/batch-predictions');
    expect(listed.body.items).toEqual([]);
    expect(
      (await h.call('GET', `/batch-predictions/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`)).status,
    ).toBe(404);
  });
});

describe('POST /batch-predictions/uploads', () => {
  it('answers a presigned PUT under batch-predictions/in/ that stores the object at the URI it answers', async () => {
    // Prepare
    const h = harness();
    const body = 'id,f1,f2,f3\nu-1,0.1,0.2,0.3\n';

    // Act
    const res = await h.call('POST', '/batch-predictions/uploads', {
      fileName: 'daily/rows.csv',
      contentLength: Buffer.byteLength(body),
    });
    const { url, headers, method } = res.body.upload;
    const put = await fetch(url, { method, headers, body });

    // Assess: the URI to submit names what the PUT stored, typed by its extension
    expect(res.status).toBe(200);
    expectReplyMatchesRoute('CreateBatchUpload', res);
    expect(res.body.uri).toBe(`s3://${BATCH_BUCKET}/batch-predictions/in/daily/rows.csv`);
    expect(headers).toEqual({
      'content-length': String(Buffer.byteLength(body)),
      'content-type': 'text/csv',
    });
    expect(put.status).toBe(200);
    expect(await h.text('batch-predictions/in/daily/rows.csv')).toBe(body);
  });

  it('refuses a bad name, an empty or too large file and missing fields with a 400, presigning nothing', async () => {
    const h = harness();
    const good = { fileName: 'rows.csv', contentLength: 10 };
    const cases: unknown[] = [
      { ...good, fileName: '../models/x.onnx' },
      { ...good, fileName: '/rows.csv' },
      { ...good, fileName: 'in/.hidden' },
      { ...good, fileName: 'a//b.csv' },
      { ...good, fileName: 'rows?.csv' },
      { ...good, fileName: 'x'.repeat(513) },
      { ...good, contentLength: 0 },
      { ...good, contentLength: MAX_BATCH_UPLOAD_BYTES + 1 },
      { ...good, contentLength: 1.5 },
      { ...good, contentType: 'text' },
      { fileName: 'rows.csv' },
      { contentLength: 10 },
      { ...good, bucket: 'elsewhere' },
    ];
    for (const body of cases) {
      const res = await h.call('POST', '/batch-predictions/uploads', body);
      expect({ body, status: res.status, code: res.body.error?.code, url: res.body.upload }).toEqual({
        body,
        status: 400,
        code: 'INVALID_REQUEST',
        url: undefined,
      });
    }
  });
});

describe('the Distributed Map engine', () => {
  it('scores a CSV: every row is an output row or a dead letter, counts checked', async () => {
    // Prepare
    const h = harness();
    const version = await h.registerModel('csv-model');
    const n = 420;
    await h.put('in/rows.csv', csv(n));

    // Act
    const res = await h.call('POST', '/batch-predictions', {
      model: 'csv-model',
      version,
      input: { uri: `s3://${BATCH_BUCKET}/in/rows.csv`, format: 'csv' },
      keyColumn: 'id',
      output: { uri: `s3://${BATCH_BUCKET}/out/csv/` },
      toleratedFailurePercent: 5,
    });
    await h.settle(res.body.jobId);
    const job = await h.call('GET', `/batch-predictions/${res.body.jobId}`);

    // Assess
    expect(res.status).toBe(202);
    expectReplyMatchesRoute('CreateBatchPrediction', res);
    expectReplyMatchesRoute('GetBatchPrediction', job);
    const failed = Array.from({ length: n }, (_, i) => i).filter(poisoned);
    expect(job.body.statusReason).toBeUndefined();
    expect(job.body).toMatchObject({
      status: 'SUCCEEDED',
      engine: 'map',
      counts: { read: n, predicted: n - failed.length, failed: failed.length },
      countsCheck: 'MATCHED',
      progress: 1,
    });
    const { predictions, deadLetters } = await outputsOf(`out/csv/${res.body.jobId}/`);
    expect(predictions).toHaveLength(n - failed.length);
    for (const p of predictions) {
      const i = Number(String(p.id).slice(3));
      expect(p.model_version).toBe(version);
      expect(Math.abs(p.prediction - referenceScore(row(i)))).toBeLessThan(1e-5);
    }
    expect(deadLetters.map((d) => d.id).sort()).toEqual(failed.map((i) => `id-${i}`).sort());
    expect(deadLetters.find((d) => d.id === 'id-13')).toEqual({
      id: 'id-13',
      source: { object: `s3://${BATCH_BUCKET}/in/rows.csv`, line: 15, index: 13 },
      reason: 'feature f1 is not a finite number: "oops"',
    });
    const listed = await h.call('GET', '/models/csv-model/batch-predictions');
    expect(listed.body.items.map((j: { jobId: string }) => j.jobId)).toEqual([res.body.jobId]);
    expectReplyMatchesRoute('ListModelBatchPredictions', listed);

    // Assess: the output route reads the same rows through presigned GETs, a page at a time
    const outputPath = `/batch-predictions/${res.body.jobId}/output`;
    const viaApi = async (part: string) => {
      const rows: unknown[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await h.call(
          'GET',
          `${outputPath}?part=${part}&limit=3${nextToken ? `&nextToken=${nextToken}` : ''}`,
        );
        expectReplyMatchesRoute('ListBatchPredictionOutput', page);
        for (const item of page.body.items)
          rows.push(...jsonLines(await (await fetch(item.download.url)).text()));
        nextToken = page.body.nextToken;
        pages++;
      } while (nextToken);
      return { rows, pages };
    };
    const read = await viaApi('predictions');
    expect(read.rows).toEqual(predictions);
    // 420 rows in batches of 50: 9 parts, 3 to a page
    expect(read.pages).toBe(3);
    expect((await viaApi('dead-letter')).rows).toEqual(deadLetters);
    for (const bad of ['?part=input', '?nextToken=../../models/x', '?limit=0']) {
      const refused = await h.call('GET', `${outputPath}${bad}`);
      expect({ bad, status: refused.status, code: refused.body.error.code }).toEqual({
        bad,
        status: 400,
        code: 'INVALID_REQUEST',
      });
    }
    const unknown = await h.call(
      'GET',
      `/batch-predictions/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/output`,
    );
    expect(unknown.status).toBe(404);
  });

  it('scores JSON Lines to CSV output, and fails the job when refusals pass the threshold', async () => {
    const h = harness();
    await h.registerModel('jsonl-model');
    const lines = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({ key: i, f1: row(i)[0], f2: row(i)[1], f3: i % 10 === 0 ? null : row(i)[2] }),
    );
    await h.put('in/rows.jsonl', `${lines.join('\n')}\n`);
    const submit = (toleratedFailurePercent: number, out: string) =>
      h.call('POST', '/batch-predictions', {
        model: 'jsonl-model',
        input: { uri: `s3://${BATCH_BUCKET}/in/rows.jsonl`, format: 'jsonl' },
        keyColumn: 'key',
        output: { uri: `s3://${BATCH_BUCKET}/out/${out}/`, format: 'csv' },
        toleratedFailurePercent,
        engine: 'map',
      });

    // No version given reads the champion alias; this model has none yet.
    expect((await submit(20, 'x')).body.error.code).toBe('ALIAS_NOT_FOUND');
    await h.setChampion('jsonl-model', 1);

    const lenient = await submit(20, 'lenient');
    const strict = await submit(5, 'strict');
    await h.settle(lenient.body.jobId);
    await h.settle(strict.body.jobId);
    const ok = (await h.call('GET', `/batch-predictions/${lenient.body.jobId}`)).body;
    const refused = (await h.call('GET', `/batch-predictions/${strict.body.jobId}`)).body;

    expect(ok).toMatchObject({
      status: 'SUCCEEDED',
      version: 1,
      alias: 'champion',
      counts: { read: 120, predicted: 108, failed: 12 },
    });
    expect(refused).toMatchObject({
      status: 'FAILED',
      countsCheck: 'MATCHED',
      counts: { read: 120, predicted: 108, failed: 12 },
    });
    expect(refused.statusReason).toBe('12 of 120 rows refused (10.00%), above the tolerated 5%');
    const parts = await h.list(`out/lenient/${lenient.body.jobId}/predictions/`);
    const rows = (await Promise.all(parts.map((k) => h.text(k)))).flatMap((t) => t.split('\n').slice(1, -1));
    expect(rows).toHaveLength(108);
    for (const line of rows) {
      const [key, prediction, modelVersion] = line.split(',');
      expect(modelVersion).toBe('1');
      expect(Math.abs(Number(prediction) - referenceScore(row(Number(key))))).toBeLessThan(1e-5);
    }
    const dead = await readLines(`out/lenient/${lenient.body.jobId}/dead-letter/`);
    expect(dead.find((d) => d.key === 10)).toEqual({
      key: 10,
      source: { object: `s3://${BATCH_BUCKET}/in/rows.jsonl`, line: 11, index: 10 },
      reason: 'feature f3 is not a finite number: null',
    });
  });

  it('scores Parquet through a manifest of row groups, one row group per worker', async () => {
    const h = harness();
    await h.registerModel('parquet-model');
    const n = 250;
    const columns = (from: number, to: number) => {
      const ids = Array.from({ length: to - from }, (_, k) => `p-${from + k}`);
      const f = (j: number) => Array.from({ length: to - from }, (_, k) => row(from + k)[j]);
      return [
        { name: 'id', data: ids, type: 'STRING' as const },
        { name: 'f1', data: f(0), type: 'DOUBLE' as const },
        { name: 'f2', data: f(1), type: 'DOUBLE' as const },
        { name: 'f3', data: f(2), type: 'DOUBLE' as const },
      ];
    };
    // Two files under one prefix, the first in three row groups.
    await h.put(
      'in/pq/a.parquet',
      new Uint8Array(parquetWriteBuffer({ columnData: columns(0, 150), rowGroupSize: 60 })),
    );
    await h.put('in/pq/b.parquet', new Uint8Array(parquetWriteBuffer({ columnData: columns(150, n) })));

    const res = await h.call('POST', '/batch-predictions', {
      model: 'parquet-model',
      version: 1,
      input: { uri: `s3://${BATCH_BUCKET}/in/pq/`, format: 'parquet' },
      keyColumn: 'id',
      output: { uri: `s3://${BATCH_BUCKET}/out/pq/` },
    });
    await h.settle(res.body.jobId);
    const job = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;

    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      countsCheck: 'MATCHED',
      counts: { read: n, predicted: n, failed: 0 },
    });
    const manifest = JSON.parse(await h.text(`out/pq/${res.body.jobId}/work/row-groups.json`));
    expect(
      manifest.map((g: { key: string; rowGroup: number; rows: number }) => [g.key, g.rowGroup, g.rows]),
    ).toEqual([
      ['in/pq/a.parquet', 0, 60],
      ['in/pq/a.parquet', 1, 60],
      ['in/pq/a.parquet', 2, 30],
      ['in/pq/b.parquet', 0, 100],
    ]);
    const { predictions } = await outputsOf(`out/pq/${res.body.jobId}/`);
    expect(predictions.map((p) => p.id).sort()).toEqual(Array.from({ length: n }, (_, i) => `p-${i}`).sort());
    const p = predictions.find((x) => x.id === 'p-200');
    expect(Math.abs(p.prediction - referenceScore(row(200)))).toBeLessThan(1e-5);
  });

  it("fails on a crashed batch past the tolerance, then resumes to a clean run's output", async () => {
    // Prepare: a clean run, and a run whose batch at row 100 crashes
    const h = harness();
    await h.registerModel('resume-model');
    await h.put('in/resume.csv', csv(300));
    const submit = (out: string) =>
      h.call('POST', '/batch-predictions', {
        model: 'resume-model',
        version: 1,
        input: { uri: `s3://${BATCH_BUCKET}/in/resume.csv`, format: 'csv' },
        keyColumn: 'id',
        output: { uri: `s3://${BATCH_BUCKET}/out/${out}/` },
        // 6 poisoned rows (2%) pass; a crashed batch of 50 (17%) does not.
        toleratedFailurePercent: 5,
      });
    const clean = await submit('clean');
    await h.settle(clean.body.jobId);
    h.failBatches.add(100);
    const broken = await submit('broken');
    await h.settle(broken.body.jobId);
    const failed = (await h.call('GET', `/batch-predictions/${broken.body.jobId}`)).body;
    const partsBefore = await h.list(`out/broken/${broken.body.jobId}/predictions/`);

    // Act: the fault is gone; resume
    h.failBatches.clear();
    h.scoredBatches.length = 0;
    const resumed = await h.call('POST', `/batch-predictions/${broken.body.jobId}/resume`);
    await h.settle(broken.body.jobId, 2);
    const done = (await h.call('GET', `/batch-predictions/${broken.body.jobId}`)).body;

    // Assess
    expect(failed.status).toBe('FAILED');
    expect(failed.statusReason).toMatch(/^States.ExceedToleratedFailureThreshold/);
    expect(partsBefore).toHaveLength(5); // 6 batches of 50, one crashed
    // Only the batch without output ran again; the others were found done.
    expect(h.scoredBatches).toEqual([100]);
    expect(resumed.status).toBe(202);
    expectReplyMatchesRoute('ResumeBatchPrediction', resumed);
    expect(resumed.body).toMatchObject({ status: 'SUBMITTED', attempt: 2 });
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      attempt: 2,
      countsCheck: 'MATCHED',
      counts: { read: 300, predicted: 294, failed: 6 },
    });
    const cleanOut = await outputsOf(`out/clean/${clean.body.jobId}/`);
    const resumedOut = await outputsOf(`out/broken/${broken.body.jobId}/`);
    expect(resumedOut).toEqual(cleanOut);
    expect((await h.call('POST', `/batch-predictions/${broken.body.jobId}/resume`)).body.error.code).toBe(
      'BATCH_PREDICTION_NOT_RESUMABLE',
    );
    expect((await h.call('POST', `/batch-predictions/${broken.body.jobId}/cancel`)).body.error.code).toBe(
      'BATCH_PREDICTION_FINISHED',
    );
    expect(await h.auditActions('resume-model')).toEqual(
      expect.arrayContaining([
        'BatchPredictionSubmitted',
        'BatchPredictionFailed',
        'BatchPredictionSucceeded',
      ]),
    );
  });
});

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
/** A customer's features as pushed at version k. */
const values = (c: number, k: number) => ({ f1: c + k, f2: c - k, f3: (c * k) / 10 });

/** Appends rows ([customer, event time, k]) to the view's offline store as written at `writtenAtMs`. */
async function pushAt(view: FeatureView, writtenAtMs: number, rows: Array<[number, number, number]>) {
  const store = new S3OfflineStore({
    client: standIns.s3,
    bucket: LOCAL_FEATURES_BUCKET,
    clock: () => writtenAtMs,
  });
  const raw = rows.map(([c, atMs, k]) => ({ customer_id: c, event_timestamp: iso(atMs), ...values(c, k) }));
  await store.append(view, toFeatureRows(view, raw, { now: Date.now() }));
}

/** A view of the three features keyed by customer_id, created in the feature registry. */
async function createCustomerView(name: string): Promise<FeatureView> {
  const at = iso(T0);
  const view: FeatureView = {
    ...CreateFeatureViewRequest.parse({
      name,
      entities: [{ name: 'customer_id', valueType: 'int64' }],
      features: FEATURES.map((feature) => ({ name: feature, dtype: 'float64' })),
    }),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const views = new DynamoDbFeatureViewStore({
    client: documentClient(),
    table: FEATURE_REGISTRY_TABLE.id,
    auditTable: 'Audit',
  });
  await views.create(view, {
    id: newKey(),
    at,
    actor: 'test',
    action: 'FeatureViewCreated',
    featureView: name,
  });
  return view;
}

describe('enrichment from a feature view', () => {
  it('scores entity rows joined exactly as of asOf; an unknown view or a missing join key is refused', async () => {
    // Prepare: a view, rows written before asOf, and rows that must not join
    const h = harness();
    const version = await h.registerModel('enriched-model');
    const view = await createCustomerView('batch_customers');
    const asOf = T0 + 10 * HOUR;
    await pushAt(view, T0 + HOUR, [
      [1, T0, 0],
      [1, T0 + 5 * HOUR, 1], // customer 1's latest as of asOf
      [2, T0, 0],
      [3, T0, 0],
      [3, T0 + 12 * HOUR, 9], // after asOf by event time
    ]);
    await pushAt(view, asOf + HOUR, [[2, T0 + 6 * HOUR, 9]]); // before asOf by event time, written after it
    await h.put('in/entities.csv', 'id,customer_id\nc-1,1\nc-2,2\nc-3,3\nc-4,4\n');
    await h.put('in/no-keys.csv', 'id,customer\nc-1,1\n');
    const submit = (input: Record<string, unknown>) =>
      h.call('POST', '/batch-predictions', {
        model: 'enriched-model',
        version,
        input: { featureView: 'batch_customers', entities: `s3://${BATCH_BUCKET}/in/entities.csv`, ...input },
        keyColumn: 'id',
        output: { uri: `s3://${BATCH_BUCKET}/out/enriched/` },
        toleratedFailurePercent: 50,
      });

    // Act
    const unknown = await submit({ featureView: 'nope' });
    const noKeys = await submit({ entities: `s3://${BATCH_BUCKET}/in/no-keys.csv` });
    const res = await submit({ asOf: iso(asOf) });
    await h.settle(res.body.jobId);
    const job = await h.call('GET', `/batch-predictions/${res.body.jobId}`);
    const now = await submit({});
    await h.settle(now.body.jobId);

    // Assess
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'FEATURE_VIEW_NOT_FOUND']);
    expect([noKeys.status, noKeys.body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect(res.status).toBe(202);
    expect(job.body).toMatchObject({
      status: 'SUCCEEDED',
      input: { asOf: iso(asOf) },
      counts: { read: 4, predicted: 3, failed: 1 },
      countsCheck: 'MATCHED',
    });
    const { predictions, deadLetters } = await outputsOf(`out/enriched/${res.body.jobId}/`);
    const scored = Object.fromEntries(predictions.map((p) => [p.id, p.prediction]));
    const expected = { 'c-1': values(1, 1), 'c-2': values(2, 0), 'c-3': values(3, 0) };
    expect(Object.keys(scored).sort()).toEqual(Object.keys(expected));
    for (const [id, v] of Object.entries(expected))
      expect(scored[id]).toBeCloseTo(referenceScore([v.f1, v.f2, v.f3]), 5);
    // Customer 4 has no history: its row is a dead letter, not a silent zero.
    expect(deadLetters.map((d) => d.id)).toEqual(['c-4']);
    // ...naming the entity list's own row: its fourth, line 5 after the header.
    expect(deadLetters[0].source).toEqual({
      object: `s3://${BATCH_BUCKET}/in/entities.csv`,
      line: 5,
      index: 3,
    });
    // Without asOf, the submission time is recorded, and rows written since join.
    expect(now.body.input.asOf).toBe(now.body.createdAt);
    const later = await outputsOf(`out/enriched/${now.body.jobId}/`);
    const c2 = later.predictions.find((p) => p.id === 'c-2').prediction;
    expect(c2).toBeCloseTo(referenceScore(Object.values(values(2, 9))), 5);
    const listed = await h.call('GET', '/models/enriched-model/batch-predictions');
    expect(listed.body.items).toHaveLength(2);
  });
});

describe("enrichment on the feature store's offline engine", () => {
  it('joins more rows than one batch holds in the engine, reads no file written after asOf, dead-letters entities without history, and a resume reuses the join', async () => {
    // Prepare: 2,100 entity rows (the join writes files of 1,000 rows, a batch each: three);
    // history for customers 1..2095 written before asOf; a later row of every tenth customer,
    // before asOf by event time but written after it; customers 2096..2100 have none.
    const h = harness();
    const version = await h.registerModel('engine-enriched-model');
    const view = await createCustomerView('engine_customers');
    const asOf = T0 + 10 * HOUR;
    const n = 2100;
    const withHistory = 2095;
    const customers = Array.from({ length: withHistory }, (_, i) => i + 1);
    await pushAt(view, T0 + HOUR, [
      ...customers.map((c): [number, number, number] => [c, T0, c % 5]),
      ...customers.map((c): [number, number, number] => [c, T0 + 4 * HOUR, c % 3]),
    ]);
    await pushAt(
      view,
      asOf + HOUR,
      customers.filter((c) => c % 10 === 0).map((c): [number, number, number] => [c, T0 + 6 * HOUR, 9]),
    );
    const lines = ['id,customer_id'];
    for (let c = 1; c <= n; c++) lines.push(`e-${c},${c}`);
    await h.put('in/engine-entities.csv', `${lines.join('\n')}\n`);
    const entities = `s3://${BATCH_BUCKET}/in/engine-entities.csv`;

    // Act: the second batch's worker crashes, failing the job; the fault gone, it resumes
    h.failBatches.add(2000);
    const res = await h.call('POST', '/batch-predictions', {
      model: 'engine-enriched-model',
      version,
      input: { featureView: view.name, entities, asOf: iso(asOf) },
      keyColumn: 'id',
      output: { uri: `s3://${BATCH_BUCKET}/out/engine-enriched/` },
      toleratedFailurePercent: 1,
    });
    await h.settle(res.body.jobId);
    const failed = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;
    h.failBatches.clear();
    h.scoredBatches.length = 0;
    await h.call('POST', `/batch-predictions/${res.body.jobId}/resume`);
    await h.settle(res.body.jobId, 2);
    const job = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;
    const root = `out/engine-enriched/${res.body.jobId}/`;
    const { predictions, deadLetters } = await outputsOf(root);

    // Assess: every row once, each as of asOf from the files committed by then
    expect(failed.status).toBe('FAILED');
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      attempt: 2,
      countsCheck: 'MATCHED',
      counts: { read: n, predicted: withHistory, failed: n - withHistory },
    });
    expect(await h.list(`${root}predictions/`)).toHaveLength(3);
    expect(new Set(predictions.map((p) => p.id)).size).toBe(withHistory);
    for (const p of predictions) {
      const v = values(Number(p.id.slice(2)), Number(p.id.slice(2)) % 3);
      expect(p.prediction).toBeCloseTo(referenceScore([v.f1, v.f2, v.f3]), 5);
    }
    // A dead letter names the entity list's own row: the list's order and index survive the join.
    expect(deadLetters.map((d) => [d.id, d.source])).toEqual(
      Array.from({ length: n - withHistory }, (_, i) => [
        `e-${withHistory + i + 1}`,
        { object: entities, line: withHistory + i + 2, index: withHistory + i },
      ]),
    );
    expect(deadLetters[0].reason).toBe('feature f1 is not a finite number: null');
    // The join ran on the engine (the staged entity table, the engine's output), once: the resume
    // read the committed join and scored only the batch without parts.
    expect(await h.list(`${root}work/enriched/`)).toEqual(
      expect.arrayContaining([
        `${root}work/enriched/attempt-1/entities/part-000000000000.parquet`,
        `${root}work/enriched/attempt-1/output/part-000000002000.parquet`,
        `${root}work/enriched/attempt-1/row-groups.json`,
        `${root}work/enriched/input.json`,
      ]),
    );
    expect(await h.list(`${root}work/enriched/attempt-2/`)).toEqual([]);
    expect(h.scoredBatches).toEqual([2000]);
  }, 60_000);
});

describe('the Batch Transform engine', () => {
  it("scores through the local SageMaker's transform job and writes the map's output, row for row", async () => {
    // Prepare: the same CSV scored by each engine
    const h = transform();
    const version = await h.registerModel('transform-model');
    const n = 420;
    await h.put('in/transform.csv', csv(n));
    const submit = (engine: string) =>
      h.call('POST', '/batch-predictions', {
        model: 'transform-model',
        version,
        input: { uri: `s3://${BATCH_BUCKET}/in/transform.csv`, format: 'csv' },
        keyColumn: 'id',
        output: { uri: `s3://${BATCH_BUCKET}/out/${engine}/` },
        engine,
      });

    // Act
    const viaTransform = await submit('transform');
    const viaMap = await submit('map');
    await h.settle(viaTransform.body.jobId);
    await h.settle(viaMap.body.jobId);
    const job = (await h.call('GET', `/batch-predictions/${viaTransform.body.jobId}`)).body;

    // Assess: counts, then the same rows as the map's, each scored by the version in the package
    const failed = Array.from({ length: n }, (_, i) => i).filter(poisoned).length;
    expect(viaTransform.status).toBe(202);
    expect(job.statusReason).toBeUndefined();
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      engine: 'transform',
      counts: { read: n, predicted: n - failed, failed },
      countsCheck: 'MATCHED',
    });
    const byKey = (rows: Array<{ id: string }>) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    const fromTransform = await outputsOf(`out/transform/${viaTransform.body.jobId}/`);
    const fromMap = await outputsOf(`out/map/${viaMap.body.jobId}/`);
    expect(byKey(fromTransform.deadLetters)).toEqual(byKey(fromMap.deadLetters));
    const mapScores = new Map(fromMap.predictions.map((p) => [p.id, p.prediction]));
    expect(fromTransform.predictions).toHaveLength(n - failed);
    for (const p of fromTransform.predictions) {
      expect(p.model_version).toBe(version);
      expect(Math.abs(p.prediction - mapScores.get(p.id))).toBeLessThan(1e-6);
    }
    // A request shard per batch of rows (50 here), each request a line, split by line and joined
    // with its input; the first shard's row 13 was refused before any request.
    const work = `out/transform/${viaTransform.body.jobId}/work/transform/attempt-1/`;
    expect(await h.list(`${work}input/`)).toHaveLength(Math.ceil(n / 50));
    const requests = jsonLines(await h.text(`${work}input/part-000000000000.jsonl`));
    expect(requests.map((r) => r.inputs[0].shape)).toEqual([[49, FEATURES.length]]);
    const out = jsonLines(await h.text(`${work}output/part-000000000000.jsonl.out`));
    expect(out[0]).toMatchObject({ id: '0', SageMakerOutput: { id: '0', model_version: String(version) } });
  }, 60_000);
});

describe("the steps' memory", () => {
  it.each([
    ['transform', 'one shard'],
    ['map', "one child's result"],
  ])(
    'on the %s engine reads %s at a time: the largest read of any step is the same for 500 rows as for 4,000',
    async (engine) => {
      // Prepare: two inputs, one 8 times the other; batches of 50 rows make the shards
      const h = transform();
      const model = `bounded-${engine}`;
      await h.registerModel(model);
      const sizes = [500, 4000];
      for (const n of sizes) await h.put(`in/${model}-${n}.csv`, csv(n));
      const run = async (n: number) => {
        h.stepReads.largest = 0;
        const res = await h.call('POST', '/batch-predictions', {
          model,
          version: 1,
          input: { uri: `s3://${BATCH_BUCKET}/in/${model}-${n}.csv`, format: 'csv' },
          keyColumn: 'id',
          output: { uri: `s3://${BATCH_BUCKET}/out/${model}-${n}/` },
          engine,
        });
        await h.settle(res.body.jobId);
        const job = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;
        return { job, largestRead: h.stepReads.largest };
      };

      // Act
      const [small, big] = [await run(sizes[0]), await run(sizes[1])];

      // Assess: every row accounted for in both, and no step read more for the larger input. A step
      // that read every row (the input, a whole-run index, every output, every child's batch) would
      // read 8 times as much.
      for (const [{ job }, n] of [
        [small, sizes[0]],
        [big, sizes[1]],
      ] as const) {
        const failed = Array.from({ length: n }, (_, i) => i).filter(poisoned).length;
        expect(job).toMatchObject({
          status: 'SUCCEEDED',
          countsCheck: 'MATCHED',
          counts: { read: n, predicted: n - failed, failed },
        });
      }
      expect(small.largestRead).toBeGreaterThan(0);
      expect(big.largestRead).toBeLessThanOrEqual(small.largestRead * 1.1);
      expect(big.largestRead).toBeLessThan(csv(sizes[1]).length / 8);
    },
    120_000,
  );
});

describe('the Batch Transform engine on entity rows enriched from a feature view', () => {
  it.each([
    ['named', true],
    ['unnamed', false],
  ])(
    "scores the joined rows as the map does, the model's inputs %s: the same predictions within 1e-6, the same dead letters",
    async (label, featureNames) => {
      // Prepare: a view with history for customers 1..40 (41 and 42 have none), rows at and after
      // asOf, and entity rows with and without their own event_timestamp. A model that does not name
      // its inputs is fed the view's features, not the entity row's join key and timestamp.
      const h = transform();
      const model = `transform-enriched-${label}`;
      const version = await h.registerModel(model, { featureNames });
      const view = await createCustomerView(`transform_customers_${label}`);
      const asOf = T0 + 10 * HOUR;
      const customers = Array.from({ length: 40 }, (_, i) => i + 1);
      await pushAt(view, T0 + HOUR, [
        ...customers.map((c): [number, number, number] => [c, T0, c % 5]),
        ...customers.map((c): [number, number, number] => [c, T0 + 4 * HOUR, c % 3]),
        ...customers.map((c): [number, number, number] => [c, T0 + 11 * HOUR, 9]), // after asOf
      ]);
      const lines = ['id,customer_id,event_timestamp'];
      for (const c of [...customers, 41, 42])
        lines.push(`e-${c},${c},${c % 2 === 0 ? iso(T0 + 2 * HOUR) : ''}`);
      await h.put('in/transform-entities.csv', `${lines.join('\n')}\n`);
      const submit = (engine: string) =>
        h.call('POST', '/batch-predictions', {
          model,
          version,
          input: {
            featureView: view.name,
            entities: `s3://${BATCH_BUCKET}/in/transform-entities.csv`,
            asOf: iso(asOf),
          },
          keyColumn: 'id',
          output: { uri: `s3://${BATCH_BUCKET}/out/enriched-${label}-${engine}/` },
          toleratedFailurePercent: 10,
          engine,
        });

      // Act
      const viaTransform = await submit('transform');
      const viaMap = await submit('map');
      await h.settle(viaTransform.body.jobId);
      await h.settle(viaMap.body.jobId);
      const jobs = await Promise.all(
        [viaTransform, viaMap].map(
          async (r) => (await h.call('GET', `/batch-predictions/${r.body.jobId}`)).body,
        ),
      );

      // Assess: counts, then row for row against the map and against the join computed here
      for (const job of jobs)
        expect(job).toMatchObject({
          status: 'SUCCEEDED',
          countsCheck: 'MATCHED',
          counts: { read: 42, predicted: 40, failed: 2 },
        });
      expect(jobs[0].engine).toBe('transform');
      const fromTransform = await outputsOf(`out/enriched-${label}-transform/${viaTransform.body.jobId}/`);
      const fromMap = await outputsOf(`out/enriched-${label}-map/${viaMap.body.jobId}/`);
      const byKey = <T extends { id: string }>(rows: T[]) =>
        [...rows].sort((a, b) => a.id.localeCompare(b.id));
      // A dead letter names the entity list's own row (41 and 42 are its rows 40 and 41, after
      // the header), from either engine, not the job's joined copy.
      const entities = `s3://${BATCH_BUCKET}/in/transform-entities.csv`;
      expect(byKey(fromTransform.deadLetters).map((d) => d.source)).toEqual([
        { object: entities, line: 42, index: 40 },
        { object: entities, line: 43, index: 41 },
      ]);
      expect(byKey(fromTransform.deadLetters)).toEqual(byKey(fromMap.deadLetters));
      expect(fromTransform.deadLetters.map((d) => d.id).sort()).toEqual(['e-41', 'e-42']);
      const mapScores = new Map(fromMap.predictions.map((p) => [p.id, p.prediction]));
      expect(fromTransform.predictions).toHaveLength(40);
      for (const p of fromTransform.predictions) {
        const c = Number(p.id.slice(2));
        // Even customers join as of their own time (T0 + 2h: the T0 row), odd ones as of asOf.
        const v = values(c, c % 2 === 0 ? c % 5 : c % 3);
        expect(p.model_version).toBe(version);
        expect(Math.abs(p.prediction - mapScores.get(p.id))).toBeLessThan(1e-6);
        expect(Math.abs(p.prediction - referenceScore([v.f1, v.f2, v.f3]))).toBeLessThan(1e-5);
      }
    },
    60_000,
  );
});

describe("the Batch Transform engine's SageMaker models", () => {
  const describeJob = (name: string) =>
    transform().sagemaker!.controlPlane.DescribeTransformJob({ TransformJobName: name });
  const modelExists = (name: string) => {
    try {
      transform().sagemaker!.controlPlane.DescribeModel({ ModelName: name });
      return true;
    } catch {
      return false;
    }
  };

  it('deletes the model once the transform job ends: completed, failed, or already gone', async () => {
    // Prepare
    const h = transform();
    await h.registerModel('cleanup-model');
    await h.put('in/cleanup.csv', csv(120));
    const run = async (out: string, faults: typeof h.transformFaults) => {
      Object.assign(h.transformFaults, faults);
      try {
        const res = await h.call('POST', '/batch-predictions', {
          model: 'cleanup-model',
          version: 1,
          input: { uri: `s3://${BATCH_BUCKET}/in/cleanup.csv`, format: 'csv' },
          keyColumn: 'id',
          output: { uri: `s3://${BATCH_BUCKET}/out/cleanup-${out}/` },
          engine: 'transform',
        });
        await h.settle(res.body.jobId);
        await h.statusChangesDelivered();
        return (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;
      } finally {
        for (const k of Object.keys(faults)) delete h.transformFaults[k as keyof typeof faults];
      }
    };

    // Act
    const completed = await run('completed', {});
    const failed = await run('failed', { corruptRequests: true });
    const gone = await run('gone', { deleteModelEarly: true });

    // Assess: each run's model is gone, whatever its transform job did
    const name = (job: { jobId: string }) => transformModelName(job.jobId, 1);
    expect(completed).toMatchObject({ status: 'SUCCEEDED', countsCheck: 'MATCHED' });
    expect(describeJob(name(completed)).TransformJobStatus).toBe('Completed');
    expect(failed.status).toBe('FAILED');
    expect(failed.statusReason).toMatch(/^States.TaskFailed: .*ClientError: the model answered 400/);
    expect(describeJob(name(failed)).TransformJobStatus).toBe('Failed');
    // A model deleted before the run's DeleteModel: its retries fail, the job does not.
    expect(gone).toMatchObject({ status: 'SUCCEEDED', countsCheck: 'MATCHED', counts: { read: 120 } });
    for (const job of [completed, failed, gone]) expect(modelExists(name(job))).toBe(false);
  }, 60_000);

  it('stops the transform job of a cancelled run, deletes its model, and resumes to every row', async () => {
    // Prepare: enough request lines that the transform job is still running when cancelled
    const h = transform();
    await h.registerModel('cancel-model');
    const n = 6000;
    await h.put('in/cancel.csv', csv(n));
    const res = await h.call('POST', '/batch-predictions', {
      model: 'cancel-model',
      version: 1,
      input: { uri: `s3://${BATCH_BUCKET}/in/cancel.csv`, format: 'csv' },
      keyColumn: 'id',
      output: { uri: `s3://${BATCH_BUCKET}/out/cancel/` },
      engine: 'transform',
    });
    const first = transformModelName(res.body.jobId, 1);
    const status = (name: string) => {
      try {
        return describeJob(name).TransformJobStatus;
      } catch {
        return undefined;
      }
    };
    const until = async (done: () => boolean, what: string) => {
      for (let i = 0; !done(); i++) {
        if (i > 1500) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => status(first) !== undefined, 'the transform job');

    // Act: cancel while the transform job runs, then resume
    const cancelled = await h.call('POST', `/batch-predictions/${res.body.jobId}/cancel`);
    await h.settle(res.body.jobId);
    await until(() => !['InProgress', 'Stopping'].includes(status(first) ?? ''), 'the transform job to end');
    await h.statusChangesDelivered();
    const afterCancel = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;
    const modelAfterCancel = modelExists(first);
    const resumed = await h.call('POST', `/batch-predictions/${res.body.jobId}/resume`);
    await h.settle(res.body.jobId, 2);
    await h.statusChangesDelivered();
    const done = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;

    // Assess
    expect(cancelled.status).toBe(202);
    expect(afterCancel.status).toBe('CANCELLED');
    expect(status(first)).toBe('Stopped');
    expect(modelAfterCancel).toBe(false);
    expect(resumed.body).toMatchObject({ status: 'SUBMITTED', attempt: 2 });
    const failedRows = Array.from({ length: n }, (_, i) => i).filter(poisoned).length;
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      attempt: 2,
      countsCheck: 'MATCHED',
      counts: { read: n, predicted: n - failedRows, failed: failedRows },
    });
    expect(status(transformModelName(res.body.jobId, 2))).toBe('Completed');
    expect(modelExists(transformModelName(res.body.jobId, 2))).toBe(false);
    const { predictions, deadLetters } = await outputsOf(`out/cancel/${res.body.jobId}/`);
    expect(new Set([...predictions, ...deadLetters].map((r) => r.id)).size).toBe(n);
  }, 120_000);
});

describe('scheduled jobs', () => {
  it("submits one job per tick over the tick's dated input, however often the tick is delivered", async () => {
    // Prepare
    const h = harness();
    await h.registerModel('daily-model');
    await h.setChampion('daily-model', 1);
    await h.put('in/daily/2026-12-06/rows.csv', csv(120));
    const event = {
      schedule: BatchPredictionSchedule.parse({
        modelName: 'daily-model',
        schedule: 'cron(0 3 * * ? *)',
        input: { uri: `s3://${BATCH_BUCKET}/in/daily/{date}/rows.csv`, format: 'csv' },
        keyColumn: 'id',
        output: { uri: `s3://${BATCH_BUCKET}/out/daily/{date}/` },
      }),
      time: '2026-12-06T03:00:00Z',
    };

    // Act: EventBridge delivers the tick twice
    const first = await h.scheduled(event);
    const again = await h.scheduled(event);
    await h.settle(first.jobId);
    const job = (await h.call('GET', `/batch-predictions/${first.jobId}`)).body;

    // Assess
    expect(again.jobId).toBe(first.jobId);
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      version: 1,
      input: { uri: `s3://${BATCH_BUCKET}/in/daily/2026-12-06/rows.csv` },
      counts: { read: 120, predicted: 117, failed: 3 },
      countsCheck: 'MATCHED',
    });
    expect(await h.list(`out/daily/2026-12-06/${first.jobId}/predictions/`)).toHaveLength(3);
    const listed = await h.call('GET', '/models/daily-model/batch-predictions');
    expect(listed.body.items).toHaveLength(1);
  });

  it("delivers the synthesized rule's tick to the scheduler as local mode runs rules", async () => {
    // Prepare: the rule as `cdk synth` writes it, its target standing in for the local Lambda service
    const h = harness();
    await h.registerModel('ruled-model');
    await h.setChampion('ruled-model', 1);
    const schedule = {
      modelName: 'ruled-model',
      schedule: 'rate(1 day)',
      input: { uri: `s3://${BATCH_BUCKET}/in/ruled/{date}.csv`, format: 'csv' as const },
      keyColumn: 'id',
      output: { uri: `s3://${BATCH_BUCKET}/out/ruled/` },
    };
    const template = batchTemplate({
      buckets: [BATCH_BUCKET],
      schedules: [BatchPredictionSchedule.parse(schedule)],
    });
    const [[ruleId]] = resourcesOfType(template, 'AWS::Events::Rule').filter(
      ([, r]) => r.Properties?.ScheduleExpression !== undefined,
    );
    const submitted: BatchPrediction[] = [];
    const lambdas = {
      invoke: async (_id: string, payload: unknown) => {
        submitted.push(await h.scheduled(payload as ScheduledBatchEvent));
      },
    } as unknown as LocalLambdaService;
    const today = new Date().toISOString().slice(0, 10);
    await h.put(`in/ruled/${today}.csv`, csv(60));
    const rules = new LocalRules(template, { lambdas });
    rules.start(new LocalEventBus(), { schedules: false });

    // Act
    await rules.runNow(ruleId);
    await h.settle(submitted[0].jobId);

    // Assess
    const job = (await h.call('GET', `/batch-predictions/${submitted[0].jobId}`)).body;
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      input: { uri: `s3://${BATCH_BUCKET}/in/ruled/${today}.csv` },
      counts: { read: 60, predicted: 59, failed: 1 },
    });
  });
});

describe('every row accounted for', () => {
  it('scores 100,000 rows with 1% poisoned: each key once, as an output row or a dead letter', async () => {
    // Prepare: every 100th row (from 37) refused, in three ways
    const h = large();
    await h.registerModel('accounting-model');
    const n = 100_000;
    const bad = (i: number) => i % 100 === 37;
    const poison = ['oops', 'NaN', '1e999'];
    const lines = [`id,${FEATURES.join(',')}`];
    for (let i = 0; i < n; i++) {
      const r = row(i);
      lines.push(`k${i},${bad(i) ? poison[i % 3] : r[0]},${r[1]},${r[2]}`);
    }
    await h.put('in/accounting.csv', `${lines.join('\n')}\n`);

    // Act
    const res = await h.call('POST', '/batch-predictions', {
      model: 'accounting-model',
      version: 1,
      input: { uri: `s3://${BATCH_BUCKET}/in/accounting.csv`, format: 'csv' },
      keyColumn: 'id',
      output: { uri: `s3://${BATCH_BUCKET}/out/accounting/` },
      toleratedFailurePercent: 2,
    });
    await h.settle(res.body.jobId);
    const job = (await h.call('GET', `/batch-predictions/${res.body.jobId}`)).body;
    const prefix = `out/accounting/${res.body.jobId}/`;
    const readAll = async (dir: string) =>
      (await Promise.all((await h.list(dir)).map((k) => h.text(k)))).flatMap(jsonLines);
    const predictions = await readAll(`${prefix}predictions/`);
    const deadLetters = await readAll(`${prefix}dead-letter/`);

    // Assess: counts, then each key exactly once across outputs and dead letters
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      counts: { read: n, predicted: n - n / 100, failed: n / 100 },
      countsCheck: 'MATCHED',
    });
    expect(predictions).toHaveLength(n - n / 100);
    expect(deadLetters).toHaveLength(n / 100);
    const seen = new Set<string>();
    for (const { id } of [...predictions, ...deadLetters]) seen.add(id);
    expect(seen.size).toBe(n);
    expect(deadLetters.map((d) => Number(d.id.slice(1))).every(bad)).toBe(true);
    expect(deadLetters.every((d) => d.source.line === Number(d.id.slice(1)) + 2)).toBe(true);
    expect(predictions.every((p) => !bad(Number(p.id.slice(1))) && p.model_version === 1)).toBe(true);
    const i = 12_345;
    expect(predictions.find((p) => p.id === `k${i}`).prediction).toBeCloseTo(referenceScore(row(i)), 5);
  }, 60_000);
});
