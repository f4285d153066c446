/**
 * Finds the model in a directory the way SageMaker lays it out: the extracted model.tar.gz under
 * /opt/ml/model. The Triton layout `<name>/<version>/model.onnx` names the model and its version;
 * a bare `model.onnx` (the trainer's output) is served as `model`, version `1`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html#your-algorithms-inference-code-load-artifacts
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LocatedModel {
  readonly modelName: string;
  readonly modelVersion: string;
  readonly onnxPath: string;
}

/** Locates the one ONNX model under `dir`; throws naming what it found instead. */
export function locateModel(dir: string): LocatedModel {
  if (!existsSync(dir)) throw new Error(`model directory ${dir} does not exist`);
  if (existsSync(join(dir, 'model.onnx')))
    return { modelName: 'model', modelVersion: '1', onnxPath: join(dir, 'model.onnx') };
  const found: LocatedModel[] = [];
  for (const name of readdirSync(dir)) {
    const modelDir = join(dir, name);
    if (!statSync(modelDir).isDirectory()) continue;
    const versions = readdirSync(modelDir)
      .filter((v) => /^[1-9][0-9]*$/.test(v) && existsSync(join(modelDir, v, 'model.onnx')))
      .sort((a, b) => Number(b) - Number(a));
    // Triton's default version policy serves the latest version only.
    if (versions.length > 0)
      found.push({
        modelName: name,
        modelVersion: versions[0],
        onnxPath: join(modelDir, versions[0], 'model.onnx'),
      });
  }
  if (found.length !== 1) {
    throw new Error(
      `expected one model (<name>/<version>/model.onnx or model.onnx) in ${dir}, found ${found.length}`,
    );
  }
  return found[0];
}
