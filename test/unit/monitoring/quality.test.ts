/**
 * Model-quality metrics against scikit-learn 1.2.1 (fixtures by scripts/fixtures/quality_fixtures.py
 * on sklearn's own breast-cancer, wine and diabetes data), and the baseline comparison.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProblemType } from '../../../contracts/monitoring';
import { compareWithBaseline, qualityMetrics } from '../../../lambdas/monitoring/domain/quality';
import { PlatformError } from '../../../lambdas/shared/errors';

interface Case {
  name: string;
  problemType: ProblemType;
  positiveLabel?: number;
  threshold?: number;
  labels: number[];
  predictions: number[];
  expected: Record<string, number>;
}
const { cases } = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'quality', 'metrics.json'), 'utf8'),
) as { cases: Case[] };

const close = (actual: number, expected: number) =>
  Math.abs(actual - expected) <= Math.max(1e-12, 1e-12 * Math.abs(expected));

describe('qualityMetrics equals sklearn.metrics', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Prepare
    const pairs = c.labels.map((label, i) => ({ label, prediction: c.predictions[i] }));
    // Act
    const metrics = qualityMetrics(pairs, {
      problemType: c.problemType,
      decisionThreshold: c.threshold ?? 0.5,
      positiveLabel: c.positiveLabel ?? 1,
    });
    // Assess
    for (const [name, expected] of Object.entries(c.expected)) {
      if (!close(metrics[name], expected))
        throw new Error(`${name}: got ${metrics[name]}, sklearn ${expected}`);
    }
    expect(Object.keys(metrics).sort()).toEqual([...Object.keys(c.expected), 'count'].sort());
  });

  it('reads class-probability vectors: the last entry is the positive score', () => {
    const metrics = qualityMetrics(
      [
        { label: 1, prediction: [0.2, 0.8] },
        { label: 0, prediction: [0.7, 0.3] },
      ],
      { problemType: 'binary-classification', decisionThreshold: 0.5, positiveLabel: 1 },
    );
    expect(metrics).toMatchObject({ accuracy: 1, roc_auc: 1 });
  });

  it('fails with a 400 when nothing is labelled', () => {
    expect(() =>
      qualityMetrics([], { problemType: 'regression', decisionThreshold: 0.5, positiveLabel: 1 }),
    ).toThrow(PlatformError);
  });
});

describe('compareWithBaseline', () => {
  it('flags a drop above 5% of a higher-is-better metric', () => {
    expect(compareWithBaseline({ accuracy: 0.85 }, 'accuracy', 0.91, 0.05)).toMatchObject({
      degraded: true,
      baseline: 0.91,
    });
    expect(compareWithBaseline({ accuracy: 0.88 }, 'accuracy', 0.91, 0.05).degraded).toBe(false);
  });

  it('reads a rise of a lower-is-better metric as a drop', () => {
    const c = compareWithBaseline({ rmse: 55 }, 'rmse', 50, 0.05);
    expect(c.relativeDrop).toBeCloseTo(0.1, 12);
    expect(c.degraded).toBe(true);
  });

  it('is not degraded without a registered baseline', () => {
    expect(compareWithBaseline({ accuracy: 0.1 }, 'accuracy', undefined, 0.05).degraded).toBe(false);
  });

  it('fails with UNKNOWN_METRIC for a metric not computed', () => {
    expect(() => compareWithBaseline({ accuracy: 1 }, 'auc', 1, 0.05)).toThrow(/not computed/);
  });
});
