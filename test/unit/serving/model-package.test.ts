import { exportLogisticRegressionOnnx } from '../../../containers/reference-trainer/src/onnx-export';
import { dataCaptureKey, tritonPackagePaths } from '../../../contracts/serving';
import { describeOnnx, packageOnnxModel } from '../../../lambdas/serving/domain/model-package';
import { createTarGz, readTarGz } from '../../../lambdas/serving/domain/tar';

describe('model packaging', () => {
  it('packages ONNX in the Triton layout with a config derived from the graph', () => {
    // Prepare
    const onnx = exportLogisticRegressionOnnx({ weights: [1, 2, 3], bias: 0.5 });

    // Act
    const entries = readTarGz(packageOnnxModel('churn', 4, onnx));

    // Assess
    expect(entries.map((e) => e.path)).toEqual([tritonPackagePaths('churn', 4).config, 'churn/4/model.onnx']);
    const config = Buffer.from(entries[0].content).toString();
    expect(config).toContain('name: "churn"');
    expect(config).toContain('backend: "onnxruntime"');
    expect(config).toContain('name: "features"\n    data_type: TYPE_FP32\n    dims: [ -1, 3 ]');
    expect(Buffer.from(entries[1].content).equals(Buffer.from(onnx))).toBe(true);
  });

  it('round-trips files through tar.gz byte for byte, deterministically', () => {
    // Prepare
    const files = [
      { path: 'a/b.txt', content: Buffer.from('hello') },
      { path: 'c.bin', content: Buffer.alloc(1025, 7) },
    ];

    // Act
    const archive = createTarGz(files);

    // Assess
    expect(readTarGz(archive).map((e) => [e.path, Buffer.from(e.content).toString('hex')])).toEqual(
      files.map((f) => [f.path, f.content.toString('hex')]),
    );
    expect(createTarGz(files).equals(archive)).toBe(true);
  });

  it('fails on an artifact that is not ONNX', () => {
    // Assess
    expect(() => describeOnnx(Buffer.from('pretend this is model.onnx'))).toThrow();
  });

  it('lays capture files out as SageMaker does: endpoint/variant/yyyy/mm/dd/hh', () => {
    // Act
    const key = dataCaptureKey(
      'serving/data-capture',
      'mlops-churn',
      'champion',
      new Date('2026-03-04T05:06:07.089Z'),
      'id',
    );

    // Assess
    expect(key).toBe('serving/data-capture/mlops-churn/champion/2026/03/04/05/06-07-089-id.jsonl');
  });
});
