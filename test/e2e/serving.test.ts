/**
 * Train > register > deploy > predict against the platform as `npm start` runs it, over signed
 * HTTP. The deploy step does what a rollout's first task does (package the READY artifact in the
 * Triton layout, CreateModel/EndpointConfig/Endpoint on the printed local SageMaker endpoint) with
 * the real AWS SDK clients.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { BATCH_PREDICTIONS_PREFIX } from '../../contracts/batch-predictions';
import { endpointName, sagemakerModelName, Variant } from '../../contracts/serving';
import { ensureModelPackage } from '../../lambdas/serving/adapters/s3-model-packager';
import { localS3ClientConfig } from '../../local/stand-ins';
import { readHoldout, trainReferenceModel } from '../helpers/serving';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const ROOT = join(__dirname, '..', '..');
const credentials = {
  accessKeyId: 'AKIALOCALE2ESERVING1',
  secretAccessKey: 'e2e-serving-secret-e2e-serving-secret-00',
};
const MODEL = 'breast-cancer';

let child: ChildProcess;
let output = '';
let api: SignedClient;
let sagemakerUrl: string;
let apiUrl: string;
/** The artifacts bucket and the S3 server's origin, as the registry's upload URL names them. */
let artifacts: { bucket: string; origin: string };
const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-serving-'));

beforeAll(async () => {
  child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MLOPS_DATA_DIR: dataDir,
      MLOPS_PORT: '0',
      MLOPS_ACCESS_KEY_ID: credentials.accessKeyId,
      MLOPS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform did not start:\n${output}`)), 90_000);
    child.stdout!.on('data', () => {
      const m = /API:\s+(http:\/\/\S+)/.exec(output);
      const sm = /MLOPS_SAGEMAKER_ENDPOINT=(\S+)/.exec(output);
      if (m && sm) {
        clearTimeout(timer);
        sagemakerUrl = sm[1];
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}:\n${output}`)));
  });
  apiUrl = url;
  api = signedClient(url, credentials);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('serving, end to end', () => {
  it('trains, registers, deploys and predicts over signed HTTP', async () => {
    // Train with the reference trainer (subprocess, SageMaker training contract)
    const { onnx, evaluation } = await trainReferenceModel();

    // Register the version with its metrics; upload and verify the artifact
    expect(
      (await api.call('POST', '/models', { name: MODEL, description: 'Breast cancer (sklearn)' })).status,
    ).toBe(201);
    const sha256 = createHash('sha256').update(onnx).digest('hex');
    const reg = await api.call('POST', `/models/${MODEL}/versions`, {
      metrics: { accuracy: evaluation.accuracy, auc: evaluation.auc, f1: evaluation.f1 },
      artifact: { sha256, sizeBytes: onnx.length },
    });
    expect(reg.status).toBe(201);
    const { url, method, headers } = reg.body.upload;
    expect((await fetch(url, { method, headers, body: onnx })).status).toBe(200);
    const verified = await api.call('POST', `/models/${MODEL}/versions/1/verify`);
    expect(verified.body.status).toBe('READY');

    // Deploy: package the artifact, then the endpoint with one champion variant
    const s3 = new S3Client(localS3ClientConfig(new URL(url).origin));
    const { bucket, key } = verified.body.artifact;
    artifacts = { bucket, origin: new URL(url).origin };
    const modelDataUrl = await ensureModelPackage(s3, {
      bucket,
      modelName: MODEL,
      version: 1,
      artifactKey: key,
    });
    const sm = new SageMakerClient({ endpoint: sagemakerUrl, region: 'us-east-1', credentials });
    const smModel = sagemakerModelName(endpointName('dev', MODEL), 1);
    await sm.send(
      new CreateModelCommand({
        ModelName: smModel,
        PrimaryContainer: { Image: 'triton', ModelDataUrl: modelDataUrl },
      }),
    );
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: `${smModel}-c1`,
        ProductionVariants: [
          {
            VariantName: Variant.CHAMPION,
            ModelName: smModel,
            InitialVariantWeight: 1,
            InitialInstanceCount: 1,
            InstanceType: 'ml.g5.xlarge',
          },
        ],
      }),
    );
    await sm.send(
      new CreateEndpointCommand({
        EndpointName: endpointName('dev', MODEL),
        EndpointConfigName: `${smModel}-c1`,
      }),
    );
    let status = 'Creating';
    while (status === 'Creating') {
      await new Promise((r) => setTimeout(r, 200));
      status = (await sm.send(new DescribeEndpointCommand({ EndpointName: endpointName('dev', MODEL) })))
        .EndpointStatus!;
    }
    expect(status).toBe('InService');
    sm.destroy();
    s3.destroy();

    // Predict: OIP v2 in, probabilities out, with the version and variant that answered
    const { rows, labels } = readHoldout();
    const predicted = await api.call('POST', `/v2/models/${MODEL}/infer`, {
      id: 'e2e-1',
      parameters: { routing_key: 'patient-17' },
      inputs: [{ name: 'features', shape: [10, 30], datatype: 'FP32', data: rows.slice(0, 10) }],
    });
    expect(predicted.status).toBe(200);
    expect(predicted.body).toMatchObject({
      model_name: MODEL,
      model_version: '1',
      id: 'e2e-1',
      parameters: { variant: 'champion', endpoint_name: endpointName('dev', MODEL) },
    });
    const probabilities: number[] = predicted.body.outputs[0].data;
    expect(probabilities.map((p) => (p >= 0.5 ? 1 : 0))).toEqual(labels.slice(0, 10));

    // A malformed tensor is a 400 naming the problem; an undeployed model a 404
    const bad = await api.call('POST', `/v2/models/${MODEL}/infer`, {
      inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: [1, 2] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'INVALID_TENSOR',
      message: 'inputs[0].data: has 2 elements but shape [1, 30] needs 30',
    });
    const wrongShape = await api.call('POST', `/v2/models/${MODEL}/infer`, {
      inputs: [{ name: 'features', shape: [1, 2], datatype: 'FP32', data: [1, 2] }],
    });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.error.code).toBe('MODEL_REJECTED_INPUT');
    const missing = await api.call('POST', '/v2/models/not-deployed/infer', {
      inputs: [{ name: 'features', shape: [1], datatype: 'FP32', data: [1] }],
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ENDPOINT_NOT_FOUND');
    const unsigned = await fetch(`${apiUrl}/v2/models/${MODEL}/infer`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
  });
  it('scores a CSV with a batch job on each engine of the synthesized state machine, every row accounted for', async () => {
    // Prepare: holdout rows keyed by id, one of them poisoned, under the batch prefix
    const { featureNames, rows, labels } = readHoldout();
    const n = 60;
    const lines = rows.slice(0, n).map((r, i) => [`row-${i}`, ...(i === 7 ? ['oops', ...r.slice(1)] : r)]);
    const s3 = new S3Client(localS3ClientConfig(artifacts.origin));
    const input = `${BATCH_PREDICTIONS_PREFIX}in/holdout.csv`;
    await s3.send(
      new PutObjectCommand({
        Bucket: artifacts.bucket,
        Key: input,
        Body: [['id', ...featureNames], ...lines].map((l) => l.join(',')).join('\n'),
      }),
    );
    const request = {
      model: MODEL,
      version: 1,
      input: { uri: `s3://${artifacts.bucket}/${input}`, format: 'csv' },
      keyColumn: 'id',
      output: { uri: `s3://${artifacts.bucket}/${BATCH_PREDICTIONS_PREFIX}out/` },
    };

    // Act: submit on each engine (Batch Transform on the local SageMaker), then poll as a client would
    const run = async (engine: string) => {
      const submitted = await api.call('POST', '/batch-predictions', { ...request, engine });
      expect(submitted.status).toBe(202);
      let job = submitted.body;
      for (let i = 0; i < 300 && !['SUCCEEDED', 'FAILED'].includes(job.status); i++) {
        await new Promise((r) => setTimeout(r, 200));
        job = (await api.call('GET', `/batch-predictions/${submitted.body.jobId}`)).body;
      }
      return job;
    };
    const [job, transformed] = await Promise.all([run('map'), run('transform')]);

    // Assess: counts checked, the poisoned row dead-lettered, scores as the online endpoint's
    for (const [engine, done] of [
      ['map', job],
      ['transform', transformed],
    ])
      expect(done).toMatchObject({
        status: 'SUCCEEDED',
        engine,
        counts: { read: n, predicted: n - 1, failed: 1 },
        countsCheck: 'MATCHED',
      });
    const read = async (prefix: string) => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: artifacts.bucket, Prefix: prefix }));
      const texts = await Promise.all(
        (listed.Contents ?? []).map(async (o) =>
          (
            await s3.send(new GetObjectCommand({ Bucket: artifacts.bucket, Key: o.Key! }))
          ).Body!.transformToString(),
        ),
      );
      return texts.flatMap((t) =>
        t
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      );
    };
    const root = `${BATCH_PREDICTIONS_PREFIX}out/${job.jobId}/`;
    const predictions = await read(`${root}predictions/`);
    const deadLetters = await read(`${root}dead-letter/`);
    expect(predictions).toHaveLength(n - 1);
    expect(deadLetters.map((d) => d.id)).toEqual(['row-7']);
    const byId = new Map(predictions.map((p) => [p.id, p]));
    for (const i of [0, 1, 2, 3, 4, 5, 6, 8, 9]) {
      expect(byId.get(`row-${i}`)).toMatchObject({ model_version: 1 });
      expect(byId.get(`row-${i}`).prediction >= 0.5 ? 1 : 0).toBe(labels[i]);
    }
    const viaTransform = `${BATCH_PREDICTIONS_PREFIX}out/${transformed.jobId}/`;
    expect(await read(`${viaTransform}dead-letter/`)).toEqual(deadLetters);
    const transformPredictions = await read(`${viaTransform}predictions/`);
    expect(transformPredictions).toHaveLength(n - 1);
    for (const p of transformPredictions) {
      expect(p.model_version).toBe(1);
      expect(Math.abs(p.prediction - byId.get(p.id).prediction)).toBeLessThan(1e-6);
    }

    // Jobs are held to the batch prefix of the platform bucket: models stay out of reach
    const outside = await api.call('POST', '/batch-predictions', {
      ...request,
      output: { uri: `s3://${artifacts.bucket}/artifacts/` },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.code).toBe('BUCKET_NOT_ALLOWED');
    s3.destroy();
  }, 90_000);
});
