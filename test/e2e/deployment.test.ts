/**
 * Train > register > roll out > predict on the local platform `npm start` runs (its entry
 * function, in process, with one configured endpoint), over signed HTTP: the rollout route starts
 * the synthesized state machine on the local Step Functions API; its task function (run from the
 * template) packages the READY artifact, creates the endpoint on the local SageMaker, shifts
 * traffic, reads the template's alarms from the local CloudWatch and promotes; the registry alias
 * and stage follow, and the deployment events reach the bus. Then the variants an endpoint has,
 * read from the local SageMaker's DescribeEndpoint (SigV4-signed, the AWS wire protocol) at each
 * phase: one at rest, two while a rollout runs, one after a promotion and after a rollback.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { endpointName, LocalModelFault, sagemakerModelName } from '../../contracts/serving';
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
/** The first test's rollout, which the inventory test finds. */
let deploymentId: string;

beforeAll(async () => {
  // Every Wait state (endpoint polls, bakes) lasts 100 ms instead of a minute.
  process.env.MLOPS_LOCAL_WAIT_MS = '100';
  const context = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
  platform = await startLocalPlatform({
    dataDir,
    credentials: [credentials],
    context: {
      ...context,
      'mlops:endpoints': [
        {
          modelName: MODEL,
          canarySteps: [5, 100],
          bakeMinutes: 1,
          // Alarms read every (waited) second of a bake and judge a canary on its first bad minute.
          alarmCheckSeconds: 1,
          alarmEvaluationPeriods: 1,
          alarmDatapointsToAlarm: 1,
        },
      ],
    },
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
  it('starts a function on its first request: none of the API functions runs before one is called', async () => {
    // Prepare
    const routeFunctions = (keys: string[]) => keys.map((k) => platform.lambdas.functionForRoute(k));
    const [registry, ...others] = routeFunctions([
      'GET /models',
      'GET /feature-views',
      'GET /monitoring/models/{name}/reports',
    ]);
    expect([registry, ...others]).not.toContain(undefined);
    // Assess: started, the platform runs only what it has invoked itself (none of these)
    expect(platform.lambdas.startedFunctions).not.toContain(registry);
    // Act
    expect((await api.call('GET', '/models')).status).toBe(200);
    // Assess
    expect(platform.lambdas.startedFunctions).toContain(registry);
    for (const other of others) expect(platform.lambdas.startedFunctions).not.toContain(other);
  });

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
    deploymentId = started.body.deploymentId;
    const done = await until(
      () => api.call('GET', `/models/${MODEL}/deployments/${started.body.deploymentId}`),
      // The record is finished by the execution's last task, a moment before the execution ends.
      (r) => r.body.status !== 'RUNNING' && r.body.execution?.status !== 'RUNNING',
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

  it('lists the rollout and the endpoint, and answers OIP discovery, over signed HTTP', async () => {
    // Act
    const deployments = await api.call('GET', `/models/${MODEL}/deployments`);
    const endpoints = await api.call('GET', '/endpoints');
    const live = await api.call('GET', '/v2/health/live');
    const ready = await api.call('GET', '/v2/health/ready');
    const metadata = await api.call('GET', `/v2/models/${MODEL}`);
    const modelReady = await api.call('GET', `/v2/models/${MODEL}/ready`);
    const unknown = await api.call('GET', '/v2/models/nope');
    const unknownReady = await api.call('GET', '/v2/models/nope/ready');
    // Sticky routing reads the split the rollout recorded (champion alone after the promotion).
    const sticky = await api.call('POST', `/v2/models/${MODEL}/infer`, {
      parameters: { routing_key: 'customer-7' },
      inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: readHoldout().rows[0] }],
    });

    // Assess
    expect(deployments.status).toBe(200);
    expect(deployments.body.items).toEqual([
      expect.objectContaining({
        deploymentId,
        version: 1,
        status: 'PROMOTED',
        endpointName: `mlops-dev-${MODEL}`,
      }),
    ]);
    expect(endpoints.status).toBe(200);
    expect(endpoints.body.items).toEqual([
      {
        modelName: MODEL,
        endpointName: `mlops-dev-${MODEL}`,
        backend: 'sagemaker',
        status: 'InService',
        variants: expect.arrayContaining([
          { name: 'champion', version: 1, weight: 100, instanceCount: expect.any(Number) },
        ]),
      },
    ]);
    expect([live.status, live.body]).toEqual([200, { live: true }]);
    expect([ready.status, ready.body]).toEqual([200, { ready: true }]);
    expect(metadata.status).toBe(200);
    expect(metadata.body).toEqual({
      name: MODEL,
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 30] }],
      outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
    });
    expect([modelReady.status, modelReady.body]).toEqual([200, { name: MODEL, ready: true }]);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'MODEL_NOT_FOUND' } } });
    expect(unknownReady).toMatchObject({ status: 404, body: { error: { code: 'MODEL_NOT_FOUND' } } });
    expect(sticky).toMatchObject({ status: 200, body: { parameters: { variant: 'champion' } } });
  });

  it('serves one variant at rest, two during a rollout, one after a promotion and after a rollback', async () => {
    const endpoint = endpointName('dev', MODEL);
    const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const sagemaker = new SageMakerClient({ endpoint: platform.sagemaker.url, ...local });
    const runtime = new SageMakerRuntimeClient({ endpoint: platform.sagemaker.url, ...local });
    const variants = async () => {
      const out = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
      return {
        status: out.EndpointStatus,
        names: (out.ProductionVariants ?? []).map((v) => v.VariantName),
      };
    };
    /** Rolls `version` out, reading the endpoint's variants every 50 ms until the rollout ends. */
    const rollOut = async (version: number, bakeMinutes?: number, whileTwo?: () => Promise<void>) => {
      const started = await api.call('POST', `/models/${MODEL}/deployments`, {
        version,
        ...(bakeMinutes === undefined ? {} : { bakeMinutes }),
      });
      expect(started.status).toBe(202);
      const counts = new Set<number>();
      let acted = false;
      for (;;) {
        const now = await variants();
        counts.add(now.names.length);
        if (now.names.length === 2 && now.status === 'InService' && whileTwo && !acted) {
          acted = true;
          await whileTwo();
        }
        const read = await api.call('GET', `/models/${MODEL}/deployments/${started.body.deploymentId}`);
        if (read.body.status !== 'RUNNING') return { deployment: read.body, counts: [...counts] };
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // Prepare: version 2 (healthy) and version 3, whose model answers in 150 ms (above the 100 ms
    // p95 alarm): its SageMaker model exists already, so the rollout uses it as is
    const { onnx } = await trainReferenceModel();
    for (const version of [2, 3]) {
      const reg = await api.call('POST', `/models/${MODEL}/versions`, {
        metrics: { accuracy: 0.9 },
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
      expect((await api.call('POST', `/models/${MODEL}/versions/${version}/verify`)).body.status).toBe(
        'READY',
      );
    }
    const v1 = await sagemaker.send(
      new DescribeModelCommand({ ModelName: sagemakerModelName(endpointName('dev', MODEL), 1) }),
    );
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: sagemakerModelName(endpointName('dev', MODEL), 3),
        ExecutionRoleArn: v1.ExecutionRoleArn,
        PrimaryContainer: {
          ...v1.PrimaryContainer,
          ModelDataUrl: v1.PrimaryContainer!.ModelDataUrl!.replace(/\/1\/model\.tar\.gz$/, '/3/model.tar.gz'),
          Environment: { ...v1.PrimaryContainer?.Environment, [LocalModelFault.extraLatencyMs]: '150' },
        },
      }),
    );

    // At rest after the first rollout: the champion alone
    expect(await variants()).toEqual({ status: 'InService', names: ['champion'] });

    // Promote version 2: two variants while it runs, the champion alone (on version 2) after
    const promoted = await rollOut(2, 0);
    expect(promoted.deployment.status).toBe('PROMOTED');
    expect(promoted.counts).toContain(2);
    expect(await variants()).toEqual({ status: 'InService', names: ['champion'] });

    // Roll back version 3: the challenger gets slow traffic while both variants serve
    // (the platform flushes metrics every second: the alarm may fire, and the rollback remove the
    // challenger, before the last request)
    const slowTraffic = async () => {
      for (let i = 0; i < 20 && (await variants()).names.length === 2; i++) {
        await runtime
          .send(
            new InvokeEndpointCommand({
              EndpointName: endpoint,
              ContentType: 'application/json',
              TargetVariant: 'challenger',
              Body: JSON.stringify({
                inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: readHoldout().rows[0] }],
              }),
            }),
          )
          .catch((err: Error) => {
            // Only the challenger's removal may end the traffic.
            if (!/no variant ready|not found/.test(err.message)) throw err;
          });
      }
      await platform.sagemaker.metrics.flush();
    };
    const rolledBack = await rollOut(3, undefined, slowTraffic);
    expect(rolledBack.deployment).toMatchObject({
      status: 'ROLLED_BACK',
      alarm: `${endpoint}-challenger-latency-p95`,
    });
    expect(rolledBack.counts).toContain(2);
    expect(await variants()).toEqual({ status: 'InService', names: ['champion'] });
    expect((await api.call('GET', `/models/${MODEL}/aliases/champion`)).body.version).toBe(2);
    sagemaker.destroy();
    runtime.destroy();
  }, 180_000);

  it('runs an experiment: the treatment variant while it runs, units sticky to arms, outcomes, results, conclusion', async () => {
    const endpoint = endpointName('dev', MODEL);
    const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const sagemaker = new SageMakerClient({ endpoint: platform.sagemaker.url, ...local });
    const variants = async () =>
      (
        (await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpoint }))).ProductionVariants ??
        []
      ).map((v) => v.VariantName);
    const row = readHoldout().rows[0];
    const predict = (unit: string) =>
      api.call('POST', `/v2/models/${MODEL}/infer`, {
        parameters: { routing_key: unit },
        inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: row }],
      });

    // Start: the champion (version 2) against version 1, added as the challenger variant
    const created = await api.call('POST', '/experiments', {
      name: 'rollout-ab',
      modelName: MODEL,
      arms: [
        { name: 'control', version: 2, trafficPercent: 50 },
        { name: 'treatment', version: 1, trafficPercent: 50 },
      ],
      control: 'control',
      primaryMetric: { name: 'converted', kind: 'proportion', betterDirection: 'higher', baselineRate: 0.1 },
      minimumDetectableEffect: 0.2,
    });
    expect(created.status).toBe(201);
    const started = await api.call('POST', '/experiments/rollout-ab/start');
    expect(started.body).toMatchObject({
      status: 'RUNNING',
      treatmentVariant: { phase: 'SERVING', version: 1 },
    });
    expect(await variants()).toEqual(['champion', 'challenger']);
    const rollout = await api.call('POST', `/models/${MODEL}/deployments`, { version: 1 });
    expect(rollout.status).toBe(409);
    expect(rollout.body.error.code).toBe('EXPERIMENT_IN_PROGRESS');

    // Predictions: each unit's arm, twice, served by that arm's variant and version
    const units = Array.from({ length: 16 }, (_, i) => `customer-${i}`);
    const first = await Promise.all(units.map(predict));
    const again = await Promise.all(units.map(predict));
    const arms = first.map((r) => r.body.parameters.experiment.arm as string);
    expect(again.map((r) => r.body.parameters.experiment.arm)).toEqual(arms);
    expect(new Set(arms)).toEqual(new Set(['control', 'treatment']));
    expect(first.map((r) => [r.body.parameters.variant, r.body.model_version])).toEqual(
      arms.map((a) => (a === 'control' ? ['champion', '2'] : ['challenger', '1'])),
    );

    // Outcomes, then results counting each unit once, in its arm
    const outcomes = units.map((unit, i) => ({
      unit,
      metric: 'converted',
      value: i % 3 === 0 ? 1 : 0,
      time: new Date().toISOString(),
      eventId: `ab-${i}`,
    }));
    const recorded = await api.call('POST', '/experiments/rollout-ab/outcomes', { outcomes });
    expect(recorded.body).toEqual({ accepted: 16, duplicates: 0, erased: 0 });
    const results = await api.call('GET', '/experiments/rollout-ab/results');
    expect(results.status).toBe(200);
    expect(results.body.units).toEqual({
      control: arms.filter((a) => a === 'control').length,
      treatment: arms.filter((a) => a === 'treatment').length,
    });

    // Conclude with control: the champion alone again, the endpoint free for rollouts
    const concluded = await api.call(
      'POST',
      '/experiments/rollout-ab/conclude',
      { winner: 'control' },
      { 'idempotency-key': 'conclude-rollout-ab' },
    );
    expect(concluded.body).toMatchObject({
      status: 'CONCLUDED',
      winner: 'control',
      treatmentVariant: { phase: 'REMOVED' },
    });
    const replayed = await api.call(
      'POST',
      '/experiments/rollout-ab/conclude',
      { winner: 'control' },
      { 'idempotency-key': 'conclude-rollout-ab' },
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body.status).toBe('CONCLUDED');
    expect(await variants()).toEqual(['champion']);
    expect((await predict('customer-1')).body.parameters.variant).toBe('champion');
    sagemaker.destroy();
  }, 180_000);
});
