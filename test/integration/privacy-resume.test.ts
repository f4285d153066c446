/**
 * Erasure runs that stop and go on, over DynamoDB Local and s3rver: a run with almost no time
 * left hands over to a new invocation after each batch and still finishes with the receipt a
 * single run gives; a run that fails, or dies between removing and counting, is run again from
 * where it stopped, and its receipt adds up every attempt, each removal counted once.
 */
import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';
import { entityMatch } from '../../contracts/erasure-keys';
import { ERASURE_RUNS_PREFIX, type Erasure, type ErasureResult } from '../../contracts/privacy';
import { dataCaptureKey } from '../../contracts/serving';
import {
  EXPERIMENTS_TABLE,
  MONITORING_TABLE,
  monitoringTableKeys,
  REGISTRY_TABLE,
} from '../../contracts/tables';
import { DynamoDbExposureLog } from '../../lambdas/experiments/adapters/dynamodb-exposure-log';
import {
  applyFeatureErasureBatch,
  type FeatureErasureBatch,
  planFeatureErasureBatch,
} from '../../lambdas/features';
import { DynamoDbExperimentRecords } from '../../lambdas/privacy/adapters/dynamodb-experiment-records';
import { makeWorker, privacyDepsFromEnv, runDepsFromEnv } from '../../lambdas/privacy/deps';
import { EMPTY_RESULT } from '../../lambdas/privacy/domain/erasure-run';
import { getErasure, requestErasure } from '../../lambdas/privacy/domain/erasures';
import type { ErasureLauncher, ErasureProgress, ErasureRunDeps } from '../../lambdas/privacy/domain/ports';
import { documentClient } from '../../lambdas/shared/clients';
import { ensureBuckets } from '../../local/stand-ins';
import { capturedPrediction } from '../helpers/captured-prediction';
import { BOB, type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';
import { registryApi } from '../helpers/registry-harness';

const ARTIFACTS = 'erasure-resume-artifacts';
const CAPTURE = 'serving/data-capture/';
const now = Date.now();
let h: FeaturesHarness;

const capture = (inferenceId: string, customerId: number) =>
  capturedPrediction(ARTIFACTS, inferenceId, { customer_id: customerId }, new Date(now));

/** One customer's data: a feature row, predictions in an experiment with labels, captured requests. */
async function customer(id: number, predictions: number, captureFiles: number): Promise<void> {
  const push = await h.call('POST', '/push', {
    featureView: 'customer_stats',
    rows: [{ customer_id: id, event_timestamp: new Date(now - 3_600_000).toISOString(), spend: 1 }],
  });
  expect(push.status).toBe(200);
  const exposures = new DynamoDbExposureLog({ client: documentClient(), table: EXPERIMENTS_TABLE.id });
  for (let i = 0; i < predictions; i++) {
    const inferenceId = `p-${id}-${i}`;
    await exposures.record('churn', inferenceId, { experiment: 'ab', unit: String(id), arm: 'control' });
    await documentClient().send(
      new PutCommand({
        TableName: MONITORING_TABLE.id,
        Item: { ...monitoringTableKeys.label('churn', inferenceId), label: 1 },
      }),
    );
  }
  for (let i = 0; i < captureFiles; i++) {
    const key = dataCaptureKey(CAPTURE, 'mlops-dev-churn', 'AllTraffic', new Date(now), randomUUID());
    const body = `${[capture(`c-${id}-${i}`, id), capture(`c-other-${id}-${i}`, 9999)].join('\n')}\n`;
    await h.s3.send(new PutObjectCommand({ Bucket: ARTIFACTS, Key: key, Body: body }));
  }
}

/**
 * The run's ports with a small experiments page and feature batches of one offline file or one
 * training-set job, so those steps take several batches.
 */
const runDeps = (launcher: ErasureLauncher): ErasureRunDeps => ({
  ...runDepsFromEnv(launcher),
  experiments: new DynamoDbExperimentRecords({
    client: documentClient(),
    table: EXPERIMENTS_TABLE.id,
    pageSize: 2,
  }),
  features: {
    plan: (entities, cursor) =>
      planFeatureErasureBatch(h.stores, entityMatch(entities), cursor, { filesPerBatch: 1, jobsPerBatch: 1 }),
    apply: (entities, batch, erasureId) =>
      applyFeatureErasureBatch(h.stores, entityMatch(entities), batch as FeatureErasureBatch, erasureId),
  },
});

/** The run's ports, recording every progress it saves. */
function recordingDeps(launcher: ErasureLauncher): { deps: ErasureRunDeps; saved: ErasureProgress[] } {
  const deps = runDeps(launcher);
  const saved: ErasureProgress[] = [];
  return {
    saved,
    deps: {
      ...deps,
      erasures: {
        get: (erasureId) => deps.erasures.get(erasureId),
        claim: (...args) => deps.erasures.claim(...args),
        complete: (...args) => deps.erasures.complete(...args),
        fail: (...args) => deps.erasures.fail(...args),
        create: (...args) => deps.erasures.create(...args),
        saveProgress: async (erasureId, at, progress, seq) => {
          saved.push(progress);
          return deps.erasures.saveProgress(erasureId, at, progress, seq);
        },
      },
    },
  };
}

const request = (id: number) =>
  requestErasure(
    privacyDepsFromEnv(),
    { principal: BOB },
    { entities: { customer_id: [id] }, inferenceIds: [], reason: '' },
  );

const receipt = (over: Partial<ErasureResult>): ErasureResult => ({
  ...EMPTY_RESULT,
  onlineItemsDeleted: 1,
  offlineFilesRewritten: 1,
  offlineRowsRemoved: 1,
  ...over,
});

beforeAll(async () => {
  h = await startFeaturesHarness();
  Object.assign(process.env, {
    [ENV.artifactsBucket]: ARTIFACTS,
    [ENV.registryTable]: REGISTRY_TABLE.id,
    [ENV.monitoringTable]: MONITORING_TABLE.id,
    [ENV.experimentsTable]: EXPERIMENTS_TABLE.id,
    [ENV.envName]: 'dev',
    [ENV.privacyCapturePrefixes]: JSON.stringify([CAPTURE]),
  });
  await ensureBuckets(h.s3, [ARTIFACTS]);
  expect((await registryApi({ idempotency: false })('POST', '/models', { name: 'churn' })).status).toBe(201);
  const view = {
    name: 'customer_stats',
    entities: [{ name: 'customer_id', valueType: 'int64' }],
    features: [{ name: 'spend', dtype: 'float64' }],
    ttlSeconds: 0,
  };
  expect((await h.call('POST', '/feature-views', view)).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('an erasure run with little time', () => {
  it('hands over after each batch and finishes with the receipt of one run, each removal counted once', async () => {
    // Prepare: time for one batch per invocation; each hand-over queued as an asynchronous invoke
    await customer(1001, 5, 2);
    const erasure = await request(1001);
    const queued: string[] = [erasure.erasureId];
    const worker = makeWorker(runDeps({ launch: async (id) => void queued.push(id) }), 1);
    const oneBatch = () => {
      let asked = 0;
      return { getRemainingTimeInMillis: () => (asked++ === 0 ? 60_000 : 0) };
    };
    let invocations = 0;
    const seen: Erasure[] = [];
    // Act
    while (queued.length > 0 && invocations < 100) {
      invocations++;
      seen.push(await worker({ erasureId: queued.shift()! }, oneBatch()));
    }
    // Assess
    const done = await getErasure(privacyDepsFromEnv(), erasure.erasureId);
    expect(done.status).toBe('COMPLETED');
    expect(done.result).toEqual(
      receipt({
        captureFilesRewritten: 2,
        captureRecordsRemoved: 2,
        groundTruthLabelsDeleted: 5,
        experimentPredictionsDeleted: 5,
      }),
    );
    // units, features, 3 experiment pages and more, capture files, labels: a dozen invocations
    expect(invocations).toBeGreaterThan(8);
    expect(seen.slice(0, -1).every((e) => e.status === 'RUNNING')).toBe(true);
    // The figures so far are shown while it runs, never more than the end's.
    const predictions = seen.map((e) => e.result?.experimentPredictionsDeleted ?? 0);
    expect(predictions).toEqual([...predictions].sort((a, b) => a - b));
  });
});

describe('an erasure run that stops', () => {
  it('goes on where it stopped when run again, its receipt adding every attempt exactly', async () => {
    // Prepare: the first capture write fails; the count after the first label batch is lost once
    await customer(2001, 3, 1);
    const erasure = await request(2001);
    const deps = runDeps({ launch: async () => {} });
    let writes = 0;
    let saves = 0;
    const faulty: ErasureRunDeps = {
      ...deps,
      capture: {
        list: (after, max) => deps.capture.list(after, max),
        read: (key) => deps.capture.read(key),
        write: async (key, text) => {
          if (writes++ === 0) throw new Error('S3 is unavailable');
          return deps.capture.write(key, text);
        },
      },
      erasures: {
        get: (id) => deps.erasures.get(id),
        claim: (...args) => deps.erasures.claim(...args),
        complete: (...args) => deps.erasures.complete(...args),
        fail: (...args) => deps.erasures.fail(...args),
        create: (...args) => deps.erasures.create(...args),
        saveProgress: async (id, at, progress, seq) => {
          // The labels are deleted, the run dies before counting them.
          if (progress.step === 'lineage' && saves++ === 0) throw new Error('the run died');
          return deps.erasures.saveProgress(id, at, progress, seq);
        },
      },
    };
    const worker = makeWorker(faulty);
    // Act
    await expect(worker({ erasureId: erasure.erasureId })).rejects.toThrow('S3 is unavailable');
    const failed = await getErasure(privacyDepsFromEnv(), erasure.erasureId);
    await expect(worker({ erasureId: erasure.erasureId })).rejects.toThrow('the run died');
    const done = await worker({ erasureId: erasure.erasureId });
    // Assess: the failed attempt's removals are on its record, and counted in the end once
    expect(failed.status).toBe('FAILED');
    expect(failed.result).toMatchObject({ onlineItemsDeleted: 1, experimentPredictionsDeleted: 3 });
    expect(done.status).toBe('COMPLETED');
    expect(done.result).toEqual(
      receipt({
        captureFilesRewritten: 1,
        captureRecordsRemoved: 1,
        groundTruthLabelsDeleted: 3,
        experimentPredictionsDeleted: 3,
      }),
    );
  });
});

describe('an erasure finding many inference ids', () => {
  it('keeps them off its DynamoDB record (400 KB at most), which holds where they are and how many', async () => {
    // Prepare: 7,200 captured predictions of the customer, 64-character ids (SageMaker's longest),
    // some 470 KB of ids; ground truth for 250 of them
    const FILES = 8;
    const PER_FILE = 900;
    const id = (f: number, i: number) => `${f}-${i}-`.padEnd(64, 'x');
    for (let f = 0; f < FILES; f++) {
      const key = dataCaptureKey(CAPTURE, 'mlops-dev-churn', 'AllTraffic', new Date(now), randomUUID());
      const lines = Array.from({ length: PER_FILE }, (_, i) => capture(id(f, i), 3001));
      await h.s3.send(new PutObjectCommand({ Bucket: ARTIFACTS, Key: key, Body: `${lines.join('\n')}\n` }));
    }
    const labelled = Array.from({ length: 250 }, (_, i) => id(i % FILES, i));
    for (let i = 0; i < labelled.length; i += 25) {
      await documentClient().send(
        new BatchWriteCommand({
          RequestItems: {
            [MONITORING_TABLE.id]: labelled.slice(i, i + 25).map((inferenceId) => ({
              PutRequest: { Item: { ...monitoringTableKeys.label('churn', inferenceId), label: 1 } },
            })),
          },
        }),
      );
    }
    await h.call('POST', '/push', {
      featureView: 'customer_stats',
      rows: [{ customer_id: 3001, event_timestamp: new Date(now - 3_600_000).toISOString(), spend: 1 }],
    });
    const erasure = await request(3001);
    const { deps, saved } = recordingDeps({ launch: async () => {} });
    const worker = makeWorker(deps);
    // Act
    const done = await worker({ erasureId: erasure.erasureId });
    // Assess
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('COMPLETED');
    expect(done.result).toEqual(
      receipt({
        captureFilesRewritten: FILES,
        captureRecordsRemoved: FILES * PER_FILE,
        groundTruthLabelsDeleted: labelled.length,
      }),
    );
    expect(saved.at(-1)?.foundInferenceIds).toEqual({
      location: `s3://${ARTIFACTS}/${ERASURE_RUNS_PREFIX}${erasure.erasureId}/inference-ids/`,
      count: FILES * PER_FILE,
    });
    expect(Math.max(...saved.map((p) => JSON.stringify(p).length))).toBeLessThan(20_000);
    // The ids are the person's: gone with the run.
    const left = await h.s3.send(
      new ListObjectsV2Command({ Bucket: ARTIFACTS, Prefix: `${ERASURE_RUNS_PREFIX}${erasure.erasureId}/` }),
    );
    expect(left.KeyCount ?? 0).toBe(0);
  }, 60_000);
});

describe("an erasure's feature-store step", () => {
  it('works through any number of views, offline files and training sets in bounded batches', async () => {
    // Prepare: the customer in three files of one view and two of another; two training sets,
    // one of them built from the customer
    const orders = {
      name: 'customer_orders',
      entities: [{ name: 'customer_id', valueType: 'int64' }],
      features: [{ name: 'orders', dtype: 'int64' }],
      ttlSeconds: 0,
    };
    expect((await h.call('POST', '/feature-views', orders)).status).toBe(201);
    const at = (hours: number) => new Date(now - hours * 3_600_000).toISOString();
    for (const hours of [5, 4, 3]) {
      const rows = [4001, 4002].map((c) => ({ customer_id: c, event_timestamp: at(hours), spend: hours }));
      expect((await h.call('POST', '/push', { featureView: 'customer_stats', rows })).status).toBe(200);
    }
    for (const hours of [2, 1]) {
      const rows = [{ customer_id: 4001, event_timestamp: at(hours), orders: hours }];
      expect((await h.call('POST', '/push', { featureView: 'customer_orders', rows })).status).toBe(200);
    }
    const jobs: string[] = [];
    for (const customers of [[4001, 4002], [4002]]) {
      const job = await h.call('POST', '/training-sets', {
        features: ['customer_stats:spend'],
        entityRows: customers.map((c) => ({ customer_id: c, event_timestamp: at(0) })),
      });
      expect(job.status).toBe(202);
      jobs.push(job.body.jobId);
    }
    await h.launcher.settle();
    const erasure = await request(4001);
    const { deps, saved } = recordingDeps({ launch: async () => {} });
    // Act
    const done = await makeWorker(deps)({ erasureId: erasure.erasureId });
    // Assess: one file or one job a batch, five files, two online items, the one training set
    expect(done.status).toBe('COMPLETED');
    expect(done.result).toEqual(
      receipt({
        onlineItemsDeleted: 2,
        offlineFilesRewritten: 5,
        offlineRowsRemoved: 5,
        trainingSets: [jobs[0]],
      }),
    );
    const batches = saved.flatMap((p) => (p.batch?.step === 'features' ? [p.batch] : []));
    expect(batches.length).toBeGreaterThanOrEqual(7);
    expect(batches.every((b) => (b.counts.offlineFilesRewritten ?? 0) <= 1)).toBe(true);
    for (const view of ['customer_stats', 'customer_orders']) {
      const stored = await h.stores.views.get(view);
      const ids: number[] = [];
      for (const f of await h.stores.offline.listFiles(view))
        for (const r of await h.stores.offline.readRows(stored!, f))
          ids.push(Number(r.entityKey.customer_id));
      expect(ids).not.toContain(4001);
    }
    expect((await h.call('GET', `/training-sets/${jobs[0]}`)).body.erasureIds).toEqual([erasure.erasureId]);
    expect((await h.call('GET', `/training-sets/${jobs[1]}`)).body.erasureIds).toBeUndefined();
  }, 60_000);
});
