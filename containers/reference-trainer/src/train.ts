/**
 * The reference trainer's entry point, following the SageMaker training-container contract:
 * CSV from `$SM_CHANNEL_TRAIN` (and `$SM_CHANNEL_VALIDATION` when set), hyperparameters from
 * `/opt/ml/input/config/hyperparameters.json` (all values strings), the model written to
 * `$SM_MODEL_DIR`, metrics printed one `name=value;` per line for the job's metric definitions,
 * and on failure the reason in `/opt/ml/output/failure` and a non-zero exit.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-training-algo-running-container.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/training-metrics.html
 *
 * Locally the same code runs as a subprocess with the same variables; `MLOPS_HYPERPARAMETERS_PATH`
 * and `MLOPS_OUTPUT_DIR` move the two fixed paths.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatDatasets, type Dataset, parseCsv } from './csv';
import { fitLogisticRegression, predictProbabilities } from './logistic-regression';
import { binaryMetrics } from './metrics';
import { exportLogisticRegressionOnnx } from './onnx-export';

export interface Hyperparameters {
  readonly l2: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly target: string;
  readonly threshold: number;
}

/** Parses SageMaker's string-valued hyperparameters; unknown keys are refused, not ignored. */
export function parseHyperparameters(raw: Record<string, unknown>): Hyperparameters {
  const known = ['l2', 'max_iterations', 'tolerance', 'target', 'threshold'];
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new Error(`unknown hyperparameters: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const num = (key: string, fallback: number, ok: (v: number) => boolean, range: string) => {
    if (raw[key] === undefined) return fallback;
    const v = Number(raw[key]);
    if (!Number.isFinite(v) || !ok(v))
      throw new Error(`hyperparameter ${key} must be ${range}, got ${JSON.stringify(raw[key])}`);
    return v;
  };
  return {
    l2: num('l2', 1, (v) => v > 0, '> 0'),
    maxIterations: num(
      'max_iterations',
      100,
      (v) => Number.isInteger(v) && v >= 1 && v <= 10_000,
      'an integer 1..10000',
    ),
    tolerance: num('tolerance', 1e-10, (v) => v > 0, '> 0'),
    target: raw.target === undefined ? 'target' : String(raw.target),
    threshold: num('threshold', 0.5, (v) => v > 0 && v < 1, 'in (0, 1)'),
  };
}

function readChannel(dir: string, target: string): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`channel directory ${dir} does not exist`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  return concatDatasets(files.map((f) => parseCsv(readFileSync(join(dir, f), 'utf8'), target, f)));
}

function readHyperparameters(env: NodeJS.ProcessEnv): Hyperparameters {
  const path = env.MLOPS_HYPERPARAMETERS_PATH ?? '/opt/ml/input/config/hyperparameters.json';
  return parseHyperparameters(existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {});
}

/** Trains, evaluates and writes `model.onnx` and `evaluation.json`; returns what it printed. */
export function train(env: NodeJS.ProcessEnv, print: (line: string) => void): void {
  const trainDir = env.SM_CHANNEL_TRAIN;
  if (!trainDir) throw new Error('SM_CHANNEL_TRAIN is not set');
  const modelDir = env.SM_MODEL_DIR ?? '/opt/ml/model';
  const hp = readHyperparameters(env);
  const trainSet = readChannel(trainDir, hp.target);
  const validationSet = env.SM_CHANNEL_VALIDATION
    ? readChannel(env.SM_CHANNEL_VALIDATION, hp.target)
    : undefined;
  if (validationSet && validationSet.featureNames.join(',') !== trainSet.featureNames.join(',')) {
    throw new Error('the validation channel has other columns than the training channel');
  }

  const model = fitLogisticRegression(trainSet.rows, trainSet.labels, hp);
  const trainMetrics = binaryMetrics(
    trainSet.labels,
    predictProbabilities(model, trainSet.rows),
    hp.threshold,
  );
  const evalSet = validationSet ?? trainSet;
  const evalMetrics = binaryMetrics(evalSet.labels, predictProbabilities(model, evalSet.rows), hp.threshold);
  const evaluation = { ...evalMetrics, dataset: validationSet ? 'validation' : 'train' };

  print(`train:loss=${model.trainLoss};`);
  print(`train:accuracy=${trainMetrics.accuracy};`);
  for (const key of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const) {
    print(`validation:${key}=${evalMetrics[key]};`);
  }

  mkdirSync(modelDir, { recursive: true });
  const onnxBytes = exportLogisticRegressionOnnx({
    weights: model.weights,
    bias: model.bias,
    featureNames: trainSet.featureNames,
    metadata: { hyperparameters: JSON.stringify(hp), evaluation: JSON.stringify(evaluation) },
  });
  writeFileSync(join(modelDir, 'model.onnx'), onnxBytes);
  writeFileSync(join(modelDir, 'evaluation.json'), `${JSON.stringify(evaluation, null, 2)}\n`);
  if (env.SM_OUTPUT_DATA_DIR) {
    mkdirSync(env.SM_OUTPUT_DATA_DIR, { recursive: true });
    writeFileSync(
      join(env.SM_OUTPUT_DATA_DIR, 'evaluation.json'),
      `${JSON.stringify(evaluation, null, 2)}\n`,
    );
  }
  print(`iterations=${model.iterations};`);
}

if (require.main === module) {
  try {
    train(process.env, (line) => console.log(line));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`training failed: ${message}`);
    const outputDir = process.env.MLOPS_OUTPUT_DIR ?? '/opt/ml/output';
    try {
      mkdirSync(outputDir, { recursive: true });
      writeFileSync(join(outputDir, 'failure'), message);
    } catch {
      // No writable output directory (a local run without one): stderr has the reason.
    }
    process.exit(1);
  }
}
