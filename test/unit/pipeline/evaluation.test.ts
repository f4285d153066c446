import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demographicParityDifference, holdoutMetrics } from '../../../lambdas/pipeline/domain/evaluation';

interface Case {
  name: string;
  problemType: 'binary-classification' | 'regression';
  threshold?: number;
  labels: number[];
  predictions: number[];
  expected: Record<string, number>;
}
// Monitoring's sklearn fixtures (scripts/fixtures/quality_fixtures.py): the pipeline evaluates with
// the same metric code, so the same oracle holds.
const fixtures = JSON.parse(readFileSync(join(__dirname, '../../fixtures/quality/metrics.json'), 'utf8')) as {
  cases: Case[];
};
const cases = fixtures.cases.filter(
  (c) => c.problemType !== ('multiclass-classification' as string) && typeof c.predictions[0] === 'number',
);

describe('holdoutMetrics', () => {
  it.each(cases.map((c) => [c.name, c] as const))('equals sklearn on %s', (_name, c) => {
    // Act
    const metrics = holdoutMetrics(c.labels, c.predictions, c.problemType, c.threshold ?? 0.5);

    // Assess
    for (const [name, expected] of Object.entries(c.expected)) {
      expect(Math.abs(metrics[name] - expected)).toBeLessThanOrEqual(
        Math.max(1e-12, 1e-12 * Math.abs(expected)),
      );
    }
  });

  it('fails when labels and scores differ in length', () => {
    // Act / Assess
    expect(() => holdoutMetrics([1, 0], [0.3], 'binary-classification')).toThrow('2 labels but 1 scores');
  });
});

describe('demographicParityDifference', () => {
  it('is the spread of positive rates between groups', () => {
    // Prepare: group a predicts positive 2 of 4, group b 3 of 4, group c 1 of 2.
    const scores = [0.9, 0.8, 0.1, 0.2, 0.7, 0.6, 0.55, 0.1, 0.9, 0.2];
    const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c'];

    // Act
    const dpd = demographicParityDifference(scores, groups);

    // Assess
    expect(dpd).toBeCloseTo(0.25, 15);
  });

  it('is undefined with fewer than two groups, and skips rows without a group', () => {
    // Act / Assess
    expect(demographicParityDifference([0.9, 0.1], ['a', null])).toBeUndefined();
  });
});
