/**
 * Train > register > roll out > predict on the local platform `npm start` runs (its entry
 * function, in process, with one configured endpoint), over signed HTTP: the rollout route starts
 * the synthesized state machine on the local Step Functions API; its task function (run from the
 * template) packages the READY artifact, creates the endpoint on the local SageMaker, shifts
 * traffic, reads the template's alarms from the local CloudWatch and promotes; the registry alias
 * and stage follow, and the deployment events reach the bus.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalPlatform, startLocalPlatform } from '../../local/platform';
import { readHoldout, trainReferenceModel } from '../helpers/serving';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const MODEL = 'rollout-e2e';
const credentials = {
  accessKeyId: 'AKIALOCALE2EROLLOUT1',
  secretAccessKey: 'e2e-rollout-secret-e2e-rollout-secret-000',
  principalArn: 'arn:aws:iam::000000000000:user/local',
};
const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-rollout-'));
let platform: LocalPlatform;
let api: SignedClient;

beforeAll(async () => {
  // Every Wait state (endpoint polls, bakes) lasts 100 ms instead of a minute.
  process.env.MLOPS_LOCAL_WAIT_MS = '100';
  const context = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
  platform = await startLocalPlatform({
    dataDir,
    credentials: [credentials],
    context: { ...context, 'mlops:endpoints': [{ modelName: MODEL, canarySteps: [5, 100], bakeMinutes: 1 }] },
  });
  api = signedClient(platform.url, credentials);
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  delete process.env.MLOPS_LOCAL_WAIT_MS;
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('rollout, end to end', () => {
  it('trains, registers, rolls out (canary, bake, promote) and predicts over signed HTTP', async () => {
    // Train and register a READY version that passes governance
    const { onnx, evaluation } = await trainReferenceModel();
    expect((await api.call('POST', '/models', { name: MODEL })).status).toBe(201);
    const reg = await api.call('POST', `/models/${MODEL}/versions`, {
      metrics: { accuracy: evaluation.accuracy },
      artifact: { sha256: createHash('sha256').update(onnx).digest('hex'), sizeBytes: onnx.length },
      governance: {
        modelCardUrl: 'https://example.com/cards/rollout-e2e',
        securityScan: 'PASSED',
        loadTest: 'PASSED',
        demographicParityDifference: 0.02,
      },
    });
    expect(reg.status).toBe(201);
    const { url, method, headers } = reg.body.upload;
    expect((await fetch(url, { method, headers, body: onnx })).status).toBe(200);
    expect((await api.call('POST', `/models/${MODEL}/versions/1/verify`)).body.status).toBe('READY');

    // Roll out: 202, then the execution runs to PROMOTED
    const started = await api.call('POST', `/models/${MODEL}/deployments`, { version: 1, bakeMinutes: 0 });
    expect(started.status).toBe(202);
    const done = await until(
      () => api.call('GET', `/models/${MODEL}/deployments/${started.body.deploymentId}`),
      (r) => r.body.status !== 'RUNNING',
    );
    expect(done.body).toMatchObject({ status: 'PROMOTED', execution: { status: 'SUCCEEDED' } });
    expect((await api.call('GET', `/models/${MODEL}/aliases/champion`)).body.version).toBe(1);
    expect((await api.call('GET', `/models/${MODEL}/versions/1`)).body.stage).toBe('Production');

    // Predict on the endpoint the rollout created
    const predicted = await api.call('POST', `/v2/models/${MODEL}/infer`, {
      inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: readHoldout().rows[0] }],
    });
    expect(predicted.status).toBe(200);
    expect(predicted.body).toMatchObject({
      model_name: MODEL,
      model_version: '1',
      parameters: { variant: 'champion' },
    });

    // Every step reached the bus through the outbox, with the deployment source
    const events = await until(
      async () => (await api.call('GET', '/_local/events')).body.items as Array<Record<string, unknown>>,
      (items) => items.some((e) => e['detail-type'] === 'DeploymentPromoted'),
    );
    const types = events.filter((e) => e.source === 'cdk-mlops.deployment').map((e) => e['detail-type']);
    expect(types).toEqual(
      expect.arrayContaining([
        'DeploymentStarted',
        'DeploymentTrafficShifted',
        'DeploymentStepPassed',
        'DeploymentPromoted',
      ]),
    );
  });
});
