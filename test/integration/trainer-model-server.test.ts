/**
 * The reference trainer as SageMaker runs it (a subprocess with SM_* env and hyperparameters.json)
 * writes a real ONNX model; the model server loads it with onnxruntime and answers the hosting
 * contract with the probabilities the TypeScript reference computes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../containers/reference-trainer/src/csv';
import {
  fitLogisticRegression,
  predictProbabilities,
} from '../../containers/reference-trainer/src/logistic-regression';
import { Evaluation } from '../../contracts/inference-protocol';
import { packageOnnxModel } from '../../lambdas/serving/domain/model-package';
import { readTarGz } from '../../lambdas/serving/domain/tar';
import { type ModelHost, startModelHost } from '../../local/sagemaker/model-host';
import { runTrainingJob } from '../../local/training/run-training-job';
import { readHoldout, TRAIN_CSV, trainReferenceModel } from '../helpers/serving';

let trained: Awaited<ReturnType<typeof trainReferenceModel>>;
let server: ModelHost;
let modelDir: string;

beforeAll(async () => {
  trained = await trainReferenceModel();
  // As SageMaker extracts model.tar.gz into /opt/ml/model.
  modelDir = mkdtempSync(join(tmpdir(), 'mlops-model-'));
  for (const entry of readTarGz(packageOnnxModel('bc', 3, trained.onnx))) {
    mkdirSync(join(modelDir, entry.path, '..'), { recursive: true });
    writeFileSync(join(modelDir, entry.path), entry.content);
  }
  // A child process, as SageMaker runs the container (and because onnxruntime-node's typed-array
  // checks fail inside jest's sandboxed globals).
  server = await startModelHost('bc', modelDir);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(modelDir, { recursive: true, force: true });
});

const post = (body: unknown, contentType = 'application/json') =>
  fetch(`http://127.0.0.1:${server.port}/invocations`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('reference trainer', () => {
  it('prints metrics for the metric definitions and writes ONNX and evaluation.json', () => {
    // Assess
    expect(trained.result.metrics['validation:accuracy']).toBeCloseTo(0.9824561403508771, 12);
    expect(Object.keys(trained.result.metrics).sort()).toEqual(
      [
        'train:accuracy',
        'train:loss',
        'validation:accuracy',
        'validation:auc',
        'validation:f1',
        'validation:precision',
        'validation:recall',
      ].sort(),
    );
    expect(Evaluation.parse(trained.evaluation).dataset).toBe('validation');
    // An ONNX ModelProto starts with field 1 (ir_version), varint: 0x08.
    expect(trained.onnx[0]).toBe(0x08);
  });

  it('fails with exit 1 and the reason in output/failure when the channel is missing', async () => {
    // Prepare
    const workDir = mkdtempSync(join(tmpdir(), 'mlops-train-'));

    // Act
    const result = await runTrainingJob({ channels: { train: join(workDir, 'nope') }, workDir });
    rmSync(workDir, { recursive: true, force: true });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.failureReason).toMatch(/channel directory .*nope does not exist/);
  });
});

describe('model server', () => {
  it('answers /ping', async () => {
    // Act
    const res = await fetch(`http://127.0.0.1:${server.port}/ping`);

    // Assess
    expect(res.status).toBe(200);
  });

  it('answers OIP v2 with the probabilities of the TypeScript reference, for a batch', async () => {
    // Prepare
    const { rows } = readHoldout();
    const train = parseCsv(readFileSync(TRAIN_CSV, 'utf8'), 'target');
    const expected = predictProbabilities(fitLogisticRegression(train.rows, train.labels), rows);

    // Act
    const res = await post({
      id: 'batch-1',
      inputs: [{ name: 'features', shape: [rows.length, 30], datatype: 'FP32', data: rows }],
    });
    // biome-ignore lint/suspicious/noExplicitAny: asserting on the JSON field by field
    const body: any = await res.json();

    // Assess: the model computes in FP32
    expect([res.status, body.error]).toEqual([200, undefined]);
    expect(body).toMatchObject({ model_name: 'bc', model_version: '3', id: 'batch-1' });
    expect(body.outputs[0]).toMatchObject({ name: 'probability', datatype: 'FP32', shape: [rows.length, 1] });
    const worst = Math.max(...body.outputs[0].data.map((p: number, i: number) => Math.abs(p - expected[i])));
    expect(worst).toBeLessThan(1e-5);
  });

  it.each([
    [
      'a data length that does not match the shape',
      { inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: [1] }] },
      'inputs[0].data: has 1 elements but shape [1, 30] needs 30',
    ],
    [
      'a shape the model does not take',
      { inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] },
      'shape [1, 3], the model expects [-1, 30]',
    ],
    [
      'a datatype the model does not take',
      { inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP64', data: Array(30).fill(1) }] },
      'datatype FP64, the model expects FP32',
    ],
    [
      'an input the model does not have',
      { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] },
      'unexpected input "x"',
    ],
  ])('answers 400 naming %s', async (_what, body, message) => {
    // Act
    const res = await post(body);

    // Assess
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(message);
  });

  it('answers 415 to a body that is not JSON', async () => {
    // Act
    const res = await post('1,2,3', 'text/csv');

    // Assess
    expect(res.status).toBe(415);
  });
});
