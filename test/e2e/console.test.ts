/**
 * The web console in headless Chromium (Debian's, driven by playwright-core) against one local
 * platform, seeded through its API as a user would: a model with three versions (metrics, lineage,
 * aliases), a canary rollout, a drift report, a feature view, an A/B experiment, a tracking run, a
 * batch job and a prompt. Each page must render that data, signed with the key pair the console
 * reads from its `config.json`; a screenshot of each is written to test-artifacts/console/.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { exportLogisticRegressionOnnx } from '../../containers/reference-trainer/src/onnx-export';
import { BATCH_PREDICTIONS_PREFIX } from '../../contracts/batch-predictions';
import { LOCAL_BUCKET, type LocalPlatform, startLocalPlatform } from '../../local/platform';
import { localS3ClientConfig } from '../../local/stand-ins/s3-local';
import { type ConsoleBrowser, openConsoleBrowser } from '../helpers/console-browser';
import { readHoldout } from '../helpers/serving';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const ROOT = join(__dirname, '..', '..');
const MODEL = 'console-churn';
const VIEW = 'console_customers';
const credentials = {
  accessKeyId: 'AKIALOCALE2ECONSOLE1',
  secretAccessKey: 'e2e-console-secret-e2e-console-secret-00',
  principalArn: 'arn:aws:iam::000000000000:user/local',
};
const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-console-'));
let platform: LocalPlatform;
let api: SignedClient;
let ui: ConsoleBrowser;
let page: Page;
const seeded: { deploymentId?: string; reportId?: string; experimentId?: string } = {};

const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> => {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
};

async function ok(method: string, path: string, body?: unknown) {
  const res = await api.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Three READY versions of one model, v2 and v3 descending from the one before. */
async function seedRegistry(onnx: Buffer, accuracy: number): Promise<void> {
  await ok('POST', '/models', {
    name: MODEL,
    description: 'Churn risk of a subscriber, from tenure and plan',
    tags: { team: 'growth' },
  });
  const sha256 = createHash('sha256').update(onnx).digest('hex');
  for (const version of [1, 2, 3]) {
    const reg = await ok('POST', `/models/${MODEL}/versions`, {
      description: `build ${version}`,
      metrics: { accuracy: accuracy - (version - 1) * 0.01, f1: 0.9 + version / 100 },
      params: { learning_rate: (0.1 / version).toFixed(3) },
      lineage: {
        datasetUri: `s3://${LOCAL_BUCKET}/training/churn-v${version}.parquet`,
        trainingRunId: `run-${version}`,
        codeRevision: `c0ffee${version}`,
        ...(version > 1 ? { parentVersion: version - 1 } : {}),
      },
      artifact: { sha256, sizeBytes: onnx.length },
      governance: {
        modelCardUrl: 'https://example.com/cards/console-churn',
        securityScan: 'PASSED',
        loadTest: 'PASSED',
        demographicParityDifference: 0.02,
      },
    });
    const { url, method, headers } = reg.upload;
    expect((await fetch(url, { method, headers, body: onnx })).status).toBe(200);
    await ok('POST', `/models/${MODEL}/versions/${version}/verify`);
  }
}

/** v1 rolled out in two canary steps to the model's endpoint. */
async function seedRollout(): Promise<void> {
  const started = await ok('POST', `/models/${MODEL}/deployments`, { version: 1, bakeMinutes: 0 });
  seeded.deploymentId = started.deploymentId;
  await until(
    () => ok('GET', `/models/${MODEL}/deployments/${started.deploymentId}`),
    (d) => d.status !== 'RUNNING',
    'the rollout',
  );
  await ok('PUT', `/models/${MODEL}/aliases/candidate`, { version: 3 });
  await seedQuality();
}

/** Labelled predictions on the endpoint: two quality reports over the captured window. */
async function seedQuality(): Promise<void> {
  const { rows, labels } = readHoldout();
  const from = new Date(Date.now() - 3_600_000).toISOString();
  for (let i = 0; i < 20; i++) {
    await ok('POST', `/v2/models/${MODEL}/infer`, {
      id: `console-${i}`,
      inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: rows[i] }],
    });
  }
  await platform.sagemaker.flush();
  await ok('POST', `/monitoring/models/${MODEL}/ground-truth`, {
    labels: labels.slice(0, 20).map((label, i) => ({ inferenceId: `console-${i}`, label })),
  });
  for (const maxRelativeDrop of [0.5, 0.05]) {
    await ok('POST', `/monitoring/models/${MODEL}/quality-reports`, {
      endpointName: `mlops-dev-${MODEL}`,
      variant: 'champion',
      modelVersion: 1,
      from,
      to: new Date(Date.now() + 3_600_000).toISOString(),
      quality: { problemType: 'binary-classification', maxRelativeDrop },
    });
  }
}

async function seedMonitoring(): Promise<void> {
  const reference = Array.from({ length: 200 }, (_, i) => ({
    tenure: i % 50,
    plan: i % 3 ? 'basic' : 'premium',
  }));
  const current = Array.from({ length: 200 }, (_, i) => ({ tenure: (i % 50) + 30, plan: 'premium' }));
  const report = await ok('POST', '/monitoring/drift-reports', {
    modelName: MODEL,
    reference: { rows: reference },
    current: { rows: current },
  });
  seeded.reportId = report.reportId;
}

async function seedFeatures(): Promise<void> {
  await ok('POST', '/feature-views', {
    name: VIEW,
    entities: [{ name: 'customer_id', valueType: 'string' }],
    features: [
      { name: 'tenure_months', dtype: 'int64', min: 0, required: true },
      { name: 'plan', dtype: 'string', allowedValues: ['basic', 'premium'] },
      { name: 'monthly_spend', dtype: 'float64' },
    ],
    ttlSeconds: 86_400,
    expectedIntervalSeconds: 3_600,
    owner: 'growth',
    description: 'Subscriber facts for churn scoring',
  });
  await ok('POST', '/push', {
    featureView: VIEW,
    rows: [
      {
        customer_id: 'c1',
        event_timestamp: new Date().toISOString(),
        tenure_months: 3,
        plan: 'basic',
        monthly_spend: 9.5,
      },
    ],
  });
}

async function seedExperimentAndTracking(): Promise<void> {
  await ok('POST', '/experiments', {
    name: 'console-churn-ab',
    modelName: MODEL,
    description: 'v2 against the champion',
    arms: [
      { name: 'control', version: 1, trafficPercent: 50 },
      { name: 'treatment', version: 2, trafficPercent: 50 },
    ],
    control: 'control',
    primaryMetric: { name: 'retained', kind: 'proportion', betterDirection: 'higher', baselineRate: 0.3 },
    minimumDetectableEffect: 0.1,
  });
  const experiment = await ok('POST', '/api/2.0/mlflow/experiments/create', { name: 'churn-training' });
  seeded.experimentId = experiment.experiment_id;
  for (const [i, lr] of ['0.1', '0.05'].entries()) {
    const run = await ok('POST', '/api/2.0/mlflow/runs/create', {
      experiment_id: experiment.experiment_id,
      run_name: `sweep-${i + 1}`,
      start_time: Date.now(),
    });
    await ok('POST', '/api/2.0/mlflow/runs/log-batch', {
      run_id: run.run.info.run_id,
      metrics: [{ key: 'accuracy', value: 0.9 + i / 100, timestamp: Date.now(), step: 0 }],
      params: [{ key: 'learning_rate', value: lr }],
    });
    await ok('POST', '/api/2.0/mlflow/runs/update', { run_id: run.run.info.run_id, status: 'FINISHED' });
  }
}

async function seedBatchAndPrompt(): Promise<void> {
  const { featureNames, rows } = readHoldout();
  const s3 = new S3Client(localS3ClientConfig(platform.endpoints.s3));
  const input = `${BATCH_PREDICTIONS_PREFIX}in/console.csv`;
  const lines = rows.slice(0, 20).map((r, i) => [`row-${i}`, ...r].join(','));
  await s3.send(
    new PutObjectCommand({
      Bucket: LOCAL_BUCKET,
      Key: input,
      Body: [['id', ...featureNames].join(','), ...lines].join('\n'),
    }),
  );
  s3.destroy();
  const job = await ok('POST', '/batch-predictions', {
    model: MODEL,
    version: 1,
    input: { uri: `s3://${LOCAL_BUCKET}/${input}`, format: 'csv' },
    keyColumn: 'id',
    output: { uri: `s3://${LOCAL_BUCKET}/${BATCH_PREDICTIONS_PREFIX}out/` },
  });
  await until(
    () => ok('GET', `/batch-predictions/${job.jobId}`),
    (j) => ['SUCCEEDED', 'FAILED'].includes(j.status),
    'the batch job',
  );
  await ok('POST', '/llm/prompts', { name: 'support-answer', description: 'Answers a support ticket' });
  await ok('POST', '/llm/prompts/support-answer/versions', {
    template: 'Answer the ticket politely: {{ticket}}',
    variables: ['ticket'],
    commitMessage: 'first wording',
  });
}

beforeAll(async () => {
  buildConsole();
  // Every Wait state (endpoint polls, bakes) lasts 100 ms instead of a minute.
  process.env.MLOPS_LOCAL_WAIT_MS = '100';
  const context = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context;
  // The demo's LLM endpoints (a Bedrock one, and an LMI one on the local SageMaker) for their page.
  const demo = JSON.parse(readFileSync(join(ROOT, 'local', 'demo.context.json'), 'utf8'));
  const started = Date.now();
  platform = await startLocalPlatform({
    dataDir,
    credentials: [credentials],
    context: {
      ...context,
      // Every call captured: at the default 20%, 20 calls capture none about 1 time in 90 (0.8^20).
      'mlops:endpoints': [
        {
          modelName: MODEL,
          canarySteps: [25, 100],
          bakeMinutes: 1,
          alarmCheckSeconds: 1,
          dataCapturePercent: 100,
        },
      ],
      'mlops:llm': demo['mlops:llm'],
    },
  });
  api = signedClient(platform.url, credentials);
  const seeding = Date.now();
  // A logistic regression over the holdout's 30 features, as the reference trainer writes it.
  const { featureNames } = readHoldout();
  const weights = featureNames.map((_, i) => (i % 2 ? 0.01 : -0.01));
  await seedRegistry(Buffer.from(exportLogisticRegressionOnnx({ weights, bias: 0.1, featureNames })), 0.93);
  await Promise.all([
    seedRollout(),
    seedMonitoring(),
    seedFeatures(),
    seedExperimentAndTracking(),
    seedBatchAndPrompt(),
  ]);
  // Printed, never asserted: where the suite's time goes on this machine.
  console.log(
    `console e2e: platform ${(seeding - started) / 1000} s, seed ${(Date.now() - seeding) / 1000} s`,
  );
  ui = await openConsoleBrowser(platform.url);
  page = ui.page;
}, 300_000);

afterAll(async () => {
  await ui?.close();
  await platform?.stop();
  delete process.env.MLOPS_LOCAL_WAIT_MS;
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const open = (hash: string, shot: string) => ui.open(hash, shot);

describe('the web console in headless Chromium', () => {
  it('serves the console and its config, and keeps the key pair off a foreign Host', async () => {
    const config = await (await fetch(`${platform.url}/console/config.json`)).json();
    expect(config).toMatchObject({ apiUrl: platform.url, region: 'us-east-1', auth: { kind: 'local' } });
    // A page whose DNS name was rebound to 127.0.0.1 sends its own name as Host (fetch cannot set it).
    const rebound = await new Promise<number>((resolve, reject) =>
      request(`${platform.url}/console/config.json`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .once('error', reject)
        .end(),
    );
    expect(rebound).toBe(403);
    expect((await fetch(`${platform.url}/console/../credentials.json`)).status).not.toBe(200);
  });

  it('lists models and shows a model with its versions, aliases and audit timeline', async () => {
    expect(await open('models', 'models')).toMatch(new RegExp(`${MODEL}\\s+model\\s+3`));
    const model = await open(`models/${MODEL}`, 'model');
    expect(model).toContain('champion → v1');
    expect(model).toContain('candidate → v3');
    expect(await page.locator('tr.version').count()).toBe(3);
    expect(model).toMatch(/ModelVersionRegistered/);
    expect(model).toMatch(/DeploymentPromoted/);
  });

  it('draws the lineage of a version', async () => {
    const version = await open(`models/${MODEL}/versions/3`, 'version-lineage');
    expect(version).toContain('READY');
    const svg = await page.locator('svg.lineage').innerHTML();
    expect(svg).toContain('churn-v3.parquet');
    expect(svg).toContain('v1 Production');
    expect(svg).toContain('v2 None');
  });

  it('shows the rollout timeline with the weights of each step and the alarms', async () => {
    expect(await open(`deployments/${MODEL}`, 'deployments')).toContain('PROMOTED');
    const rollout = await open(`deployments/${MODEL}/${seeded.deploymentId}`, 'deployment-timeline');
    expect(rollout).toContain('PROMOTED');
    const steps = page.locator('svg.rollout g.step');
    expect(await steps.count()).toBe(2);
    expect(await steps.nth(0).textContent()).toContain('challenger 25%');
    expect(await steps.nth(0).getAttribute('data-state')).toBe('OK');
    expect(await steps.nth(1).textContent()).toContain('champion 0%');
    expect(rollout).toContain('DeploymentTrafficShifted');
  });

  it('shows what each endpoint serves', async () => {
    const endpoints = await open('endpoints', 'endpoints');
    expect(endpoints).toContain(`mlops-dev-${MODEL}`);
    expect(endpoints).toMatch(/champion v1 100%/);
  });

  it('shows drift reports with a distribution plot per feature', async () => {
    expect(await open(`monitoring/${MODEL}`, 'monitoring')).toContain('DRIFTED');
    expect(await page.locator('svg.line circle').count()).toBeGreaterThanOrEqual(2);
    const report = await open(`monitoring/${MODEL}/reports/${seeded.reportId}`, 'drift-report');
    expect(report).toMatch(/2 of 2 features drifted/);
    expect(await page.locator('section.feature svg.histogram').count()).toBe(2);
  });

  it('shows feature views with their schema and freshness', async () => {
    expect(await open('feature-views', 'feature-views')).toContain(VIEW);
    const view = await open(`feature-views/${VIEW}`, 'feature-view');
    expect(view).toContain('new rows expected every 1 h');
    expect(view).toMatch(/tenure_months\s+feature\s+int64\s+min 0; required/);
  });

  it('shows experiments, tracking runs, batch jobs and prompts', async () => {
    expect(await open(`experiments/${MODEL}`, 'experiments')).toContain('console-churn-ab');
    expect(await open('experiment/console-churn-ab', 'experiment')).toContain('treatment: v2, 50%');
    expect(await open('runs', 'tracking')).toContain('churn-training');
    const runs = await open(`runs/${seeded.experimentId}`, 'runs');
    expect(runs).toContain('sweep-2');
    expect(runs).toContain('FINISHED');
    expect(await open(`batch/${MODEL}`, 'batch-jobs')).toMatch(/SUCCEEDED/);
    expect(await open('prompts', 'prompts')).toContain('support-answer');
    expect(await open('prompts/support-answer', 'prompt')).toContain(
      'Answer the ticket politely: {{ticket}}',
    );
    // The demo config's LLM endpoints, each with what it serves (the LMI one on the local SageMaker).
    expect(await open('llm-endpoints', 'llm-endpoints')).toMatch(
      /lmi\s+sagemaker\s+word-trigram-capitals\s+word-trigram-guide[\s\S]*mlops-dev-llm-lmi \(ml\.g5\.2xlarge\)/,
    );
  });
});
