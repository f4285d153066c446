/**
 * Erasure and A/B experiments over DynamoDB Local and s3rver: the predictions an experiment kept
 * of the erased unit (inference id, unit, arm, prediction) go, with their ground truth and capture
 * records; its unit marker goes and its outcome markers lose the unit, while the arm aggregates (sums)
 * stay as they were; and from then on neither a prediction nor an outcome of the unit is written.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';
import { dataCaptureKey } from '../../contracts/serving';
import {
  AUDIT_TABLE,
  EXPERIMENTS_TABLE,
  experimentKeys,
  MONITORING_TABLE,
  monitoringTableKeys,
  REGISTRY_TABLE,
} from '../../contracts/tables';
import { DynamoDbExperimentStore } from '../../lambdas/experiments/adapters/dynamodb-experiment-store';
import { DynamoDbExposureLog } from '../../lambdas/experiments/adapters/dynamodb-exposure-log';
import type { ArmOutcome } from '../../lambdas/experiments/domain/ports';
import { makeWorker, privacyDepsFromEnv, runDepsFromEnv } from '../../lambdas/privacy/deps';
import { requestErasure } from '../../lambdas/privacy/domain/erasures';
import { documentClient } from '../../lambdas/shared/clients';
import { ensureBuckets } from '../../local/stand-ins';
import { capturedPrediction } from '../helpers/captured-prediction';
import { BOB, type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';
import { registryApi } from '../helpers/registry-harness';

const ARTIFACTS = 'erasure-experiments-artifacts';
const CAPTURE = 'serving/data-capture/';
const now = Date.now();

let h: FeaturesHarness;
let exposures: DynamoDbExposureLog;
let store: DynamoDbExperimentStore;
let captureKey: string;

const outcome = (eventId: string, unit: string, arm: string, shifted: number): ArmOutcome => ({
  eventId,
  unit,
  arm,
  metric: 'converted',
  shifted,
});

/** A prediction captured as the endpoint saw it: features only, the unit nowhere in it. */
const capture = (inferenceId: string) =>
  capturedPrediction(
    ARTIFACTS,
    inferenceId,
    { inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [0.5] }] },
    new Date(now),
  );

const item = async (key: { pk: string; sk: string }) =>
  (await documentClient().send(new GetCommand({ TableName: EXPERIMENTS_TABLE.id, Key: key }))).Item;

async function erase(values: number[]) {
  const deps = privacyDepsFromEnv();
  const erasure = await requestErasure(
    deps,
    { principal: BOB },
    {
      entities: { customer_id: values },
      inferenceIds: [],
      reason: 'ticket 7',
    },
  );
  const run = makeWorker(runDepsFromEnv({ launch: async () => {} }));
  return run({ erasureId: erasure.erasureId });
}

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
  exposures = new DynamoDbExposureLog({ client: documentClient(), table: EXPERIMENTS_TABLE.id });
  store = new DynamoDbExperimentStore({
    client: h.dynamoDb,
    table: EXPERIMENTS_TABLE.id,
    auditTable: AUDIT_TABLE.id,
  });

  // Predictions served inside experiment `ab`: two to unit 1001, one to 1002; each has ground truth.
  for (const [id, unit, arm] of [
    ['p-1', '1001', 'control'],
    ['p-2', '1001', 'control'],
    ['p-3', '1002', 'treatment'],
  ]) {
    expect(await exposures.record('churn', id, { experiment: 'ab', unit, arm, prediction: 0.5 })).toBe(true);
    await documentClient().send(
      new PutCommand({
        TableName: MONITORING_TABLE.id,
        Item: { ...monitoringTableKeys.label('churn', id), label: 1 },
      }),
    );
  }
  captureKey = dataCaptureKey(CAPTURE, 'mlops-dev-churn', 'AllTraffic', new Date(now), randomUUID());
  await h.s3.send(
    new PutObjectCommand({
      Bucket: ARTIFACTS,
      Key: captureKey,
      Body: `${['p-1', 'p-3'].map(capture).join('\n')}\n`,
    }),
  );
  // Outcomes: 1001 converted, 1002 did not.
  expect(
    await store.ingest('ab', [outcome('e-1', '1001', 'control', 1), outcome('e-2', '1002', 'treatment', 0)]),
  ).toEqual({ accepted: 2, duplicates: 0, erased: 0 });
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('erasing a unit from experiments', () => {
  let aggregatesBefore: Awaited<ReturnType<DynamoDbExperimentStore['aggregates']>>;

  it("removes the unit's predictions, their ground truth and capture records, and counts them", async () => {
    // Prepare
    aggregatesBefore = await store.aggregates('ab');
    // Act
    const done = await erase([1001]);
    // Assess
    expect(done.status).toBe('COMPLETED');
    expect(done.result).toMatchObject({
      experimentPredictionsDeleted: 2,
      experimentUnitMarkersDeleted: 1,
      experimentOutcomeMarkersRedacted: 1,
      groundTruthLabelsDeleted: 2,
      captureFilesRewritten: 1,
      captureRecordsRemoved: 1,
    });
    expect([...(await exposures.find('churn', ['p-1', 'p-2', 'p-3'])).keys()]).toEqual(['p-3']);
    for (const [id, kept] of [
      ['p-1', false],
      ['p-2', false],
      ['p-3', true],
    ] as const) {
      const label = await documentClient().send(
        new GetCommand({ TableName: MONITORING_TABLE.id, Key: monitoringTableKeys.label('churn', id) }),
      );
      expect([id, label.Item !== undefined]).toEqual([id, kept]);
    }
    const text = await (
      await h.s3.send(new GetObjectCommand({ Bucket: ARTIFACTS, Key: captureKey }))
    ).Body!.transformToString();
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).eventMetadata.inferenceId),
    ).toEqual(['p-3']);
  });

  it('deletes the unit marker and keeps the outcome marker without the unit; the other unit keeps both', async () => {
    expect(await item(experimentKeys.unit('ab', '1001'))).toBeUndefined();
    expect(await item(experimentKeys.unit('ab', '1002'))).toMatchObject({ arm: 'treatment' });
    const marker = await item(experimentKeys.event('ab', 'e-1'));
    expect(marker).toMatchObject({ metric: 'converted', arm: 'control' });
    expect(marker).not.toHaveProperty('unit');
    expect(await item(experimentKeys.event('ab', 'e-2'))).toMatchObject({ unit: '1002' });
  });

  it('leaves the arm aggregates (sums, not per-person data) as they were', async () => {
    expect(await store.aggregates('ab')).toEqual(aggregatesBefore);
  });

  it('keeps no prediction of the unit from then on, and still keeps those of others', async () => {
    expect(await exposures.record('churn', 'p-4', { experiment: 'ab', unit: '1001', arm: 'control' })).toBe(
      false,
    );
    expect(await item(experimentKeys.exposure('churn', 'p-4'))).toBeUndefined();
    expect(await exposures.record('churn', 'p-5', { experiment: 'ab', unit: '1002', arm: 'treatment' })).toBe(
      true,
    );
  });

  it("counts no outcome of the unit from then on, and says so (its old event's replay stays a duplicate)", async () => {
    // Act
    const result = await store.ingest('ab', [
      outcome('e-1', '1001', 'control', 1),
      outcome('e-3', '1001', 'control', 1),
      outcome('e-4', '1002', 'treatment', 1),
    ]);
    // Assess
    expect(result).toEqual({ accepted: 1, duplicates: 1, erased: 1 });
    expect(await item(experimentKeys.event('ab', 'e-3'))).toBeUndefined();
    expect(await item(experimentKeys.unit('ab', '1001'))).toBeUndefined();
    const after = await store.aggregates('ab');
    expect(after.metrics.converted.control).toEqual(aggregatesBefore.metrics.converted.control);
    expect(after.metrics.converted.treatment.n).toBe(aggregatesBefore.metrics.converted.treatment.n + 1);
  });
});
