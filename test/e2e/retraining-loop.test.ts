/**
 * The retraining loop on the local platform (the same `startLocalPlatform` as `npm start`, in
 * process, with a config that retrains one model): a manual run trains, registers and canaries v1
 * on the local SageMaker; new data and a DriftDetected event on the local bus start a run through
 * the template's rule; v2 is trained, beats v1, is canaried and promoted; the same event again is
 * suppressed. Shortened waits (`MLOPS_LOCAL_WAIT_MS`, bake 0); prints the loop's wall time and
 * never asserts on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MONITORING_EVENT_SOURCE, MonitoringEvent } from '../../contracts/events';
import type { RetrainingRun } from '../../contracts/pipeline';
import { LOCAL_BUCKET, LOCAL_EVENT_BUS, type LocalPlatform, startLocalPlatform } from '../../local/platform';
import { localS3ClientConfig } from '../../local/stand-ins';
import { breastCancerCsv, platformContext, scaledMeasurements } from '../helpers/pipeline-harness';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const MODEL = 'breast-cancer';
const credentials = {
  accessKeyId: 'AKIARETRAINLOOP',
  secretAccessKey: 'retrain-loop-secret',
  principalArn: 'arn:aws:iam::000000000000:user/local',
};
const EVIDENCE = {
  modelCardUrl: 'https://example.com/cards/breast-cancer',
  securityScan: 'PASSED',
  loadTest: 'PASSED',
  demographicParityDifference: 0.02,
};
const context = platformContext({
  // v1's holdout is about 24 of 120 rows, drawn per run: over 300 simulated splits its accuracy
  // fell under cdk.json's 0.85 floor in 4% (lowest 0.76). This test is about the loop; governance
  // refusals have their own tests (pipeline branches), so its floor is one every split clears.
  'mlops:governance': {
    metricFloors: { accuracy: 0.6 },
    maxDemographicParityDifference: 0.1,
    requireModelCard: true,
    requireSecurityScan: true,
    requireLoadTest: true,
  },
  'mlops:endpoints': [{ modelName: MODEL, canarySteps: [50, 100], bakeMinutes: 1 }],
  'mlops:retraining': [
    {
      modelName: MODEL,
      trainingData: { uri: `s3://${LOCAL_BUCKET}/training/${MODEL}.csv`, label: 'target' },
      governance: EVIDENCE,
      // "Not worse" is enough here: splits are per run, so a fixed margin could flake.
      primaryMetric: { name: 'accuracy', margin: 0 },
      canary: { bakeMinutes: 0 },
    },
  ],
});

let platform: LocalPlatform;
let api: SignedClient;
let s3: S3Client;
let dataDir: string;
const savedWait = process.env.MLOPS_LOCAL_WAIT_MS;

beforeAll(async () => {
  process.env.MLOPS_LOCAL_WAIT_MS = '100';
  dataDir = mkdtempSync(join(tmpdir(), 'mlops-retraining-'));
  platform = await startLocalPlatform({ dataDir, credentials: [credentials], context });
  api = signedClient(platform.url, credentials);
  s3 = new S3Client(localS3ClientConfig(platform.endpoints.s3));
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await platform?.stop();
  if (savedWait === undefined) delete process.env.MLOPS_LOCAL_WAIT_MS;
  else process.env.MLOPS_LOCAL_WAIT_MS = savedWait;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const putTrainingData = (csv: string) =>
  s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: `training/${MODEL}.csv`, Body: csv }));

async function runs(): Promise<RetrainingRun[]> {
  return (await api.call('GET', `/models/${MODEL}/retraining-runs?limit=50`)).body.items;
}

/** Polls until a run matching `pick` has ended; gives up (showing the runs) after `polls` tries. */
async function ended(pick: (r: RetrainingRun) => boolean, polls = 400): Promise<RetrainingRun> {
  let seen: RetrainingRun[] = [];
  for (let i = 0; i < polls; i++) {
    seen = await runs();
    const run = seen.find((r) => pick(r) && r.status !== 'RUNNING');
    if (run) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `no such run ended; runs: ${JSON.stringify(seen.map(({ runId, status, phase, outcome, reason, trigger }) => ({ runId, status, phase, outcome, reason, trigger: trigger.reason })))}`,
  );
}

describe('retraining loop on the local platform', () => {
  it('trains and canaries v1, then on drift retrains, canaries and promotes v2; a redelivered event is suppressed', async () => {
    // Prepare: the model, and a small first training window (120 rows)
    expect((await api.call('POST', '/models', { name: MODEL })).status).toBe(201);
    await putTrainingData(breastCancerCsv(120));

    // Act 1: v1 from a manual run
    const started = await api.call('POST', `/models/${MODEL}/retraining-runs`, { note: 'first model' });
    const first = await ended((r) => r.runId === started.body.runId);

    // Assess 1
    expect(first).toMatchObject({ outcome: 'Promoted', registeredVersion: 1 });

    // Act 2: the window's rows now come from a device that reads every measurement 25% larger
    // (what drifted), then monitoring reports drift on the platform bus. v2 learns the new scale
    // and v1 misjudges it: over 500 simulated splits v2 beat v1 on v2's holdout by 0.20 at least,
    // where unshifted data let v1 win 11% of the time (a flaky "Promoted").
    await putTrainingData(scaledMeasurements(breastCancerCsv(), 1.25));
    const drift = {
      Source: MONITORING_EVENT_SOURCE,
      DetailType: MonitoringEvent.DRIFT_DETECTED,
      EventBusName: LOCAL_EVENT_BUS,
      Detail: JSON.stringify({ modelName: MODEL, reportId: 'report-loop-1' }),
    };
    const events = new EventBridgeClient({
      endpoint: platform.endpoints.eventBridge,
      region: 'us-east-1',
      credentials,
    });
    const loopStart = Date.now();
    await events.send(new PutEventsCommand({ Entries: [drift] }));
    const second = await ended((r) => r.trigger.reason === 'drift');
    const loopMs = Date.now() - loopStart;
    await events.send(new PutEventsCommand({ Entries: [drift] }));
    const duplicate = await ended((r) => r.trigger.reason === 'drift' && r.outcome === 'Suppressed');
    events.destroy();

    // Assess 2
    console.log(`retraining loop (drift event -> v2 promoted): ${(loopMs / 1000).toFixed(1)} s`);
    expect(second).toMatchObject({ outcome: 'Promoted', registeredVersion: 2, championVersion: 1 });
    expect(duplicate.reason).toBe(`trigger ${MODEL}#drift#report-loop-1 was already handled`);
    const versions = (await api.call('GET', `/models/${MODEL}/versions`)).body.items;
    expect(versions.map((v: { version: number; stage: string }) => [v.version, v.stage])).toEqual(
      expect.arrayContaining([
        [1, 'Archived'],
        [2, 'Production'],
      ]),
    );
    const alias = await api.call('GET', `/models/${MODEL}/aliases/champion`);
    expect(alias.body).toMatchObject({ version: 2 });
    // The outbox publishes the runs' audit records as events (at least once).
    const outcomes = async () =>
      (await api.call('GET', '/_local/events?detail-type=RetrainingFinished')).body.items.map(
        (e: { detail: { after: { outcome: string } } }) => e.detail.after.outcome,
      ) as string[];
    let seen = await outcomes();
    for (let i = 0; i < 200 && seen.filter((o) => o === 'Promoted').length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      seen = await outcomes();
    }
    expect(seen.filter((o) => o === 'Promoted')).toHaveLength(2);
    expect(seen).not.toContain('RolledBack');
  }, 240_000);
});
