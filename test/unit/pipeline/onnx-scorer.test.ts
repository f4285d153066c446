import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { parseCsv } from '../../../containers/reference-trainer/src/csv';
import { fitLogisticRegression } from '../../../containers/reference-trainer/src/logistic-regression';
import { exportLogisticRegressionOnnx } from '../../../containers/reference-trainer/src/onnx-export';
import { onnxFeatureNames, scoreOnnx } from '../../../lambdas/pipeline/domain/onnx-scorer';

/**
 * onnxruntime in its own process: under jest its native binding rejects typed arrays made in the
 * test's VM realm ("data must be type of Float32Array").
 */
function onnxruntimeScores(model: Uint8Array, rows: number[][]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'ort-'));
  try {
    writeFileSync(join(dir, 'model.onnx'), model);
    writeFileSync(join(dir, 'rows.json'), JSON.stringify(rows));
    const script = `
      const ort = require('onnxruntime-node'); const fs = require('fs');
      const rows = JSON.parse(fs.readFileSync(process.argv[1] + '/rows.json', 'utf8'));
      ort.InferenceSession.create(process.argv[1] + '/model.onnx').then(async (s) => {
        const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
        const out = await s.run({ [s.inputNames[0]]: x });
        process.stdout.write(JSON.stringify(Array.from(out[s.outputNames[0]].data)));
      });`;
    return JSON.parse(
      execFileSync(process.execPath, ['-e', script, dir], { cwd: join(__dirname, '../../..') }).toString(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const dataset = (name: string) =>
  parseCsv(readFileSync(join(__dirname, '../../fixtures/datasets', name), 'utf8'), 'target', name);

describe('scoreOnnx', () => {
  // onnxruntime (the runtime the model server and Triton use) is the oracle.
  it('scores a reference-trainer model as onnxruntime does', () => {
    // Prepare
    const train = dataset('breast-cancer-train.csv');
    const holdout = dataset('breast-cancer-holdout.csv');
    const fitted = fitLogisticRegression(train.rows, train.labels, { l2: 1, maxIterations: 50 });
    const bytes = exportLogisticRegressionOnnx({
      weights: fitted.weights,
      bias: fitted.bias,
      featureNames: train.featureNames,
    });
    const expected = onnxruntimeScores(bytes, holdout.rows);

    // Act
    const scores = scoreOnnx(bytes, holdout.rows);

    // Assess
    expect(scores).toHaveLength(expected.length);
    const worst = Math.max(...scores.map((s, i) => Math.abs(s - expected[i])));
    expect(worst).toBeLessThan(1e-5);
    expect(onnxFeatureNames(bytes)).toEqual(train.featureNames);
  });

  it('runs a Gemm + Relu + Softmax network', () => {
    // Prepare: 2 inputs > 2 hidden (identity weights) > relu > 2-class softmax.
    const FLOAT = onnx.TensorProto.DataType.FLOAT;
    const bytes = onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 7,
        opsetImport: [{ version: 13 }],
        graph: {
          initializer: [
            { name: 'W', dataType: FLOAT, dims: [2, 2], floatData: [1, 0, 0, 1] },
            { name: 'B', dataType: FLOAT, dims: [2], floatData: [0, 0] },
          ],
          node: [
            {
              opType: 'Gemm',
              input: ['x', 'W', 'B'],
              output: ['h'],
              attribute: [{ name: 'transB', i: 1, type: 2 }],
            },
            { opType: 'Relu', input: ['h'], output: ['r'] },
            { opType: 'Softmax', input: ['r'], output: ['p'] },
          ],
          input: [{ name: 'x' }],
          output: [{ name: 'p' }],
        },
      }),
    ).finish();

    // Act
    const scores = scoreOnnx(bytes, [
      [0, 0],
      [0, 2],
      [-1, 1],
    ]);

    // Assess
    expect(scores[0]).toBeCloseTo(0.5, 6);
    expect(scores[1]).toBeCloseTo(Math.exp(2) / (1 + Math.exp(2)), 6);
    expect(scores[2]).toBeCloseTo(Math.exp(1) / (1 + Math.exp(1)), 6);
  });

  it('fails an operator it cannot run, naming it', () => {
    // Prepare
    const bytes = onnx.ModelProto.encode(
      onnx.ModelProto.create({
        graph: {
          node: [{ opType: 'TreeEnsembleClassifier', input: ['x'], output: ['y'] }],
          input: [{ name: 'x' }],
          output: [{ name: 'y' }],
        },
      }),
    ).finish();

    // Act / Assess
    expect(() => scoreOnnx(bytes, [[1]])).toThrow(
      'the in-Lambda evaluator cannot run operator TreeEnsembleClassifier',
    );
  });

  it('fails bytes that are not ONNX', () => {
    // Act / Assess
    expect(() => scoreOnnx(Buffer.from('not a model at all, just text'), [[1]])).toThrow(
      /not an ONNX model|reads/,
    );
  });
});
