/**
 * The reference trainer's math against sklearn 1.2.1 on the committed breast-cancer split
 * (scripts/fixtures/serving_fixtures.py). Same objective (C = 1 / l2), two Newton solvers
 * (IRLS here, newton-cg there): probabilities agree to ~4e-10, threshold metrics exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../containers/reference-trainer/src/csv';
import {
  fitLogisticRegression,
  predictProbabilities,
} from '../../../containers/reference-trainer/src/logistic-regression';
import { binaryMetrics, rocAuc } from '../../../containers/reference-trainer/src/metrics';
import { parseHyperparameters } from '../../../containers/reference-trainer/src/train';

const fixtures = join(__dirname, '..', '..', 'fixtures');
const oracle = JSON.parse(readFileSync(join(fixtures, 'serving', 'logreg-oracle.json'), 'utf8'));
const read = (file: string) =>
  parseCsv(readFileSync(join(fixtures, 'datasets', file), 'utf8'), 'target', file);

describe('reference trainer vs sklearn', () => {
  const train = read('breast-cancer-train.csv');
  const holdout = read('breast-cancer-holdout.csv');
  const model = fitLogisticRegression(train.rows, train.labels, { l2: oracle.l2 });
  const probabilities = predictProbabilities(model, holdout.rows);

  it('reads the fixture: 455 training rows, 30 named features', () => {
    // Assess
    expect(train.rows).toHaveLength(455);
    expect(train.featureNames).toEqual(oracle.featureNames);
  });

  it('converges to the same probabilities as sklearn, within 1e-8', () => {
    // Assess
    const worst = Math.max(...probabilities.map((p, i) => Math.abs(p - oracle.holdoutProbabilities[i])));
    expect(worst).toBeLessThan(1e-8);
    expect(Math.abs(model.bias - oracle.bias)).toBeLessThan(1e-6 * Math.abs(oracle.bias));
  });

  it('reports the same holdout metrics as sklearn.metrics', () => {
    // Act
    const metrics = binaryMetrics(holdout.labels, probabilities);

    // Assess: threshold metrics and AUC exactly; log loss within solver tolerance
    for (const key of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const) {
      expect(metrics[key]).toBeCloseTo(oracle.holdoutMetrics[key], 12);
    }
    expect(Math.abs(metrics.logLoss - oracle.holdoutMetrics.logLoss)).toBeLessThan(1e-8);
  });

  it('is deterministic: the same data gives identical weights', () => {
    // Act
    const again = fitLogisticRegression(train.rows, train.labels, { l2: oracle.l2 });

    // Assess
    expect(again.weights).toEqual(model.weights);
  });

  it('counts tied scores half in ROC AUC, as sklearn does', () => {
    // Assess
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.8])).toBeCloseTo(0.875, 12);
  });

  it.each([
    [{ l2: '0' }, 'hyperparameter l2 must be > 0, got "0"'],
    [{ max_iterations: '2.5' }, 'hyperparameter max_iterations must be an integer 1..10000'],
    [{ learning_rate: '0.1' }, 'unknown hyperparameters: learning_rate'],
  ])('fails on bad hyperparameters %j', (raw, message) => {
    // Assess
    expect(() => parseHyperparameters(raw)).toThrow(message);
  });

  it('fails naming the line and column of a bad value', () => {
    // Assess
    expect(() => parseCsv('a,target\n1,0\nx,1\n', 'target', 'train.csv')).toThrow(
      'train.csv:3: a is not a number: "x"',
    );
  });
});
