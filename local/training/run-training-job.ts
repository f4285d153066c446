/**
 * Runs the reference trainer locally as SageMaker runs a training container: a subprocess with
 * the same environment (`SM_CHANNEL_<NAME>`, `SM_MODEL_DIR`, `SM_OUTPUT_DATA_DIR`) and a
 * hyperparameters.json of string values, its metrics read from stdout with the same metric
 * definitions a training job would use.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-training-algo-running-container.html
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAINER_METRIC_DEFINITIONS } from '../../contracts/serving';

const TRAINER_MAIN = join(__dirname, '..', '..', 'containers', 'reference-trainer', 'src', 'train.ts');

export interface LocalTrainingJob {
  /** Channel name to directory, e.g. `{ train: '/data/train', validation: '/data/holdout' }`. */
  readonly channels: Record<string, string>;
  /** Hyperparameters; values are passed as strings, as SageMaker does. */
  readonly hyperparameters?: Record<string, string | number>;
  /** The job's root, laid out as /opt/ml: input/config, model, output. */
  readonly workDir: string;
}

export interface LocalTrainingResult {
  readonly exitCode: number;
  readonly modelDir: string;
  /** Metrics matched by `TRAINER_METRIC_DEFINITIONS`, as CloudWatch would record them. */
  readonly metrics: Record<string, number>;
  readonly stdout: string;
  /** The reason the trainer wrote to output/failure, when it failed. */
  readonly failureReason?: string;
}

/** Parses metric lines with the job's metric definitions (last value of each wins). */
export function parseTrainingMetrics(log: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const def of TRAINER_METRIC_DEFINITIONS) {
    for (const m of log.matchAll(new RegExp(def.Regex, 'g'))) metrics[def.Name] = Number(m[1]);
  }
  return metrics;
}

export async function runTrainingJob(job: LocalTrainingJob): Promise<LocalTrainingResult> {
  const configDir = join(job.workDir, 'input', 'config');
  const modelDir = join(job.workDir, 'model');
  const outputDir = join(job.workDir, 'output');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(modelDir, { recursive: true });
  const hyperparameters = Object.fromEntries(
    Object.entries(job.hyperparameters ?? {}).map(([k, v]) => [k, String(v)]),
  );
  writeFileSync(join(configDir, 'hyperparameters.json'), JSON.stringify(hyperparameters));
  const channelEnv = Object.fromEntries(
    Object.entries(job.channels).map(([name, dir]) => [`SM_CHANNEL_${name.toUpperCase()}`, dir]),
  );
  const child = spawn(
    process.execPath,
    ['--require', join(__dirname, '..', 'ts-require.cjs'), TRAINER_MAIN],
    {
      env: {
        ...process.env,
        ...channelEnv,
        SM_MODEL_DIR: modelDir,
        SM_OUTPUT_DATA_DIR: join(outputDir, 'data'),
        MLOPS_HYPERPARAMETERS_PATH: join(configDir, 'hyperparameters.json'),
        MLOPS_OUTPUT_DIR: outputDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', () => undefined);
  const exitCode = await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  const failureFile = join(outputDir, 'failure');
  return {
    exitCode,
    modelDir,
    metrics: parseTrainingMetrics(stdout),
    stdout,
    ...(exitCode !== 0 && existsSync(failureFile)
      ? { failureReason: readFileSync(failureFile, 'utf8') }
      : {}),
  };
}
