/**
 * Serving test helpers: train the reference model on the committed breast-cancer split (the real
 * trainer, as a subprocess) and package it for SageMaker in the Triton layout.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrainingJob } from '../../local/training/run-training-job';

export const DATASETS = join(__dirname, '..', 'fixtures', 'datasets');
export const TRAIN_CSV = join(DATASETS, 'breast-cancer-train.csv');
export const HOLDOUT_CSV = join(DATASETS, 'breast-cancer-holdout.csv');

/** The holdout rows as numbers (features without the label) and their labels. */
export function readHoldout(): { featureNames: string[]; rows: number[][]; labels: number[] } {
  const [header, ...lines] = readFileSync(HOLDOUT_CSV, 'utf8').trim().split('\n');
  const names = header.split(',');
  const rows = lines.map((l) => l.split(',').map(Number));
  return {
    featureNames: names.slice(0, -1),
    rows: rows.map((r) => r.slice(0, -1)),
    labels: rows.map((r) => r[r.length - 1]),
  };
}

/** Trains the reference model in a temp dir; returns model.onnx bytes and the job's result. */
export async function trainReferenceModel() {
  const workDir = mkdtempSync(join(tmpdir(), 'mlops-train-'));
  try {
    const train = join(workDir, 'channels', 'train');
    const validation = join(workDir, 'channels', 'validation');
    mkdirSync(train, { recursive: true });
    mkdirSync(validation, { recursive: true });
    symlinkSync(TRAIN_CSV, join(train, 'data.csv'));
    symlinkSync(HOLDOUT_CSV, join(validation, 'data.csv'));
    const result = await runTrainingJob({ channels: { train, validation }, workDir });
    if (result.exitCode !== 0) throw new Error(`training failed: ${result.failureReason ?? result.stdout}`);
    return {
      result,
      onnx: readFileSync(join(result.modelDir, 'model.onnx')),
      evaluation: JSON.parse(readFileSync(join(result.modelDir, 'evaluation.json'), 'utf8')),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
