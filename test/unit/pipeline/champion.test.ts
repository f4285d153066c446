import { compareWithChampion, directionOf } from '../../../lambdas/pipeline/domain/champion';

describe('compareWithChampion', () => {
  it.each([
    // metric, direction, margin, challenger, champion, improved
    ['accuracy', undefined, 0.01, 0.93, 0.91, true],
    ['accuracy', undefined, 0.01, 0.915, 0.91, false],
    ['accuracy', undefined, 0.05, 0.9, 0.85, true], // margin met exactly
    ['roc_auc', undefined, 0, 0.8, 0.8, true], // a zero margin accepts a tie
    ['rmse', undefined, 0.1, 1.2, 1.5, true], // lower is better
    ['rmse', undefined, 0.1, 1.45, 1.5, false],
    ['rmse', undefined, 0, 1.6, 1.5, false],
    ['loss', 'lower' as const, 0, 0.2, 0.3, true], // configured direction
  ])(
    '%s (%s, margin %s): %s vs %s improved=%s',
    (name, direction, margin, challenger, champion, improved) => {
      // Act
      const result = compareWithChampion(
        { name, direction, margin },
        { [name]: challenger },
        { [name]: champion },
      );

      // Assess
      expect(result.improved).toBe(improved);
      expect(result.champion).toBe(champion);
    },
  );

  it('accepts a first model with no champion', () => {
    // Act
    const result = compareWithChampion({ name: 'accuracy', margin: 0.01 }, { accuracy: 0.7 }, undefined);

    // Assess
    expect(result).toMatchObject({
      improved: true,
      reason: 'no champion accuracy to beat; challenger accuracy is 0.7',
    });
  });

  it('says why a challenger is not better', () => {
    // Act
    const result = compareWithChampion({ name: 'rmse', margin: 0.1 }, { rmse: 1.45 }, { rmse: 1.5 });

    // Assess
    expect(result.reason).toBe(
      'challenger rmse 1.45 does not beat champion 1.5 by the margin 0.1 (lower is better; difference 0.05)',
    );
  });

  it('fails when the challenger lacks the metric', () => {
    // Act / Assess
    expect(() => compareWithChampion({ name: 'roc_auc', margin: 0 }, { accuracy: 1 }, undefined)).toThrow(
      /no roc_auc/,
    );
  });

  it('infers the direction', () => {
    // Act / Assess
    expect([directionOf({ name: 'mae' }), directionOf({ name: 'f1' })]).toEqual(['lower', 'higher']);
  });
});
