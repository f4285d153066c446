import { detectFeatureDrift, type FeatureSamples } from '../../../lambdas/monitoring/domain/feature-drift';
import {
  DEFAULT_THRESHOLDS,
  datasetDrift,
  type FeatureProfile,
  isDrifted,
  selectTest,
} from '../../../lambdas/monitoring/domain/select-test';
import { sample } from './fixtures';

const profile = (overrides: Partial<FeatureProfile>): FeatureProfile => ({
  name: 'age',
  type: 'numeric',
  referenceSize: 500,
  distinctValues: 400,
  ...overrides,
});

describe('selectTest defaults (Evidently)', () => {
  it.each([
    ['numeric, n <= 1000', profile({}), 'ks', 0.05],
    ['numeric, n = 1000', profile({ referenceSize: 1000 }), 'ks', 0.05],
    ['numeric, n > 1000', profile({ referenceSize: 1001 }), 'wasserstein', 0.1],
    ['numeric, <= 5 values, small', profile({ distinctValues: 5 }), 'chi-square', 0.05],
    [
      'numeric, <= 5 values, large',
      profile({ distinctValues: 3, referenceSize: 5000 }),
      'jensen-shannon',
      0.1,
    ],
    ['categorical, small', profile({ type: 'categorical', distinctValues: 12 }), 'chi-square', 0.05],
    [
      'binary, small (chi-square for the z-test)',
      profile({ type: 'categorical', distinctValues: 2 }),
      'chi-square',
      0.05,
    ],
    ['categorical, large', profile({ type: 'categorical', referenceSize: 20000 }), 'jensen-shannon', 0.1],
  ] as const)('%s', (_label, p, test, threshold) => {
    // Act
    const choice = selectTest(p);

    // Assess
    expect(choice).toMatchObject({ test, threshold });
  });

  it('uses PSI > 0.2 as the default PSI threshold', () => {
    // Act & Assess
    expect(DEFAULT_THRESHOLDS.psi).toBe(0.2);
  });
});

describe('selectTest overrides', () => {
  it('takes the test and threshold of the override', () => {
    // Act
    const choice = selectTest(profile({}), { test: 'psi', threshold: 0.25 });

    // Assess
    expect(choice).toEqual({
      test: 'psi',
      threshold: 0.25,
      scoreKind: 'distance',
      treatAsCategorical: false,
    });
  });

  it('takes a threshold alone and keeps the default test', () => {
    // Act
    const choice = selectTest(profile({}), { threshold: 0.01 });

    // Assess
    expect(choice).toMatchObject({ test: 'ks', threshold: 0.01 });
  });

  it.each([
    [{ test: 'ks' as const, threshold: 1.5 }, 'threshold for feature age (ks) must be (0, 1), got 1.5'],
    [{ test: 'psi' as const, threshold: 0 }, 'threshold for feature age (psi) must be > 0, got 0'],
  ])('fails on %j', (override, message) => {
    // Act & Assess
    expect(() => selectTest(profile({}), override)).toThrow(message);
  });

  it('fails on KS for a categorical feature', () => {
    // Act & Assess
    expect(() => selectTest(profile({ type: 'categorical' }), { test: 'ks' })).toThrow(
      'ks needs a numeric feature, but age is categorical',
    );
  });
});

describe('isDrifted', () => {
  it.each([
    ['p-value' as const, 0.049, 0.05, true],
    ['p-value' as const, 0.05, 0.05, false],
    ['distance' as const, 0.1, 0.1, true],
    ['distance' as const, 0.099, 0.1, false],
  ])('%s %d against %d is %s', (kind, score, threshold, drifted) => {
    // Act & Assess
    expect(isDrifted(kind, score, threshold)).toBe(drifted);
  });
});

describe('datasetDrift', () => {
  const verdicts = (flags: boolean[]) => flags.map((drifted, i) => ({ feature: `f${i}`, drifted }));

  it('drifts when the share reaches 0.5 by default', () => {
    // Act
    const result = datasetDrift(verdicts([true, false, true, false]));

    // Assess
    expect(result).toEqual({
      drifted: true,
      driftShare: 0.5,
      driftShareThreshold: 0.5,
      numberOfFeatures: 4,
      numberOfDriftedFeatures: 2,
      driftedFeatures: ['f0', 'f2'],
    });
  });

  it('honours driftShareThreshold', () => {
    // Act
    const result = datasetDrift(verdicts([true, false, false]), { driftShareThreshold: 0.4 });

    // Assess
    expect(result.drifted).toBe(false);
  });

  it('fails on no features and on a threshold outside (0, 1]', () => {
    // Act & Assess
    expect(() => datasetDrift([])).toThrow('dataset drift needs at least one feature result');
    expect(() => datasetDrift(verdicts([true]), { driftShareThreshold: 0 })).toThrow(
      'driftShareThreshold must be in (0, 1], got 0',
    );
  });
});

describe('detectFeatureDrift', () => {
  it('runs KS on a small numeric feature and flags a shift', () => {
    // Prepare
    const feature: FeatureSamples = {
      name: 'x',
      type: 'numeric',
      reference: sample('normal_500'),
      current: sample('shifted_500'),
    };

    // Act
    const result = detectFeatureDrift(feature);

    // Assess
    expect(result).toMatchObject({ test: 'ks', scoreKind: 'p-value', drifted: true, threshold: 0.05 });
    expect(result.score).toBe(result.pValue);
  });

  it('runs normalised Wasserstein on a large numeric feature', () => {
    // Prepare
    const feature: FeatureSamples = {
      name: 'x',
      type: 'numeric',
      reference: sample('gen_normal_100k_a'),
      current: sample('gen_normal_100k_b'),
    };

    // Act
    const result = detectFeatureDrift(feature);

    // Assess
    expect(result).toMatchObject({ test: 'wasserstein', drifted: false });
    expect(result.pValue).toBeUndefined();
  });

  it('tests a low-cardinality numeric feature by its values', () => {
    // Prepare
    const feature: FeatureSamples = {
      name: 'flag',
      type: 'numeric',
      reference: [0, 1, 1, 0],
      current: [1, 1, 1, 0],
    };

    // Act
    const result = detectFeatureDrift(feature);

    // Assess
    // expected 2 and 2, observed 1 and 3: (1-2)^2/2 + (3-2)^2/2 = 1
    expect(result).toMatchObject({ test: 'chi-square', statistic: 1 });
  });

  it('runs an overridden PSI on a categorical feature', () => {
    // Prepare
    const feature: FeatureSamples = {
      name: 'country',
      type: 'categorical',
      reference: ['DE', 'FR', 'FR', 'DE'],
      current: ['DE', 'DE', 'DE', 'FR'],
    };

    // Act
    const result = detectFeatureDrift(feature, { test: 'psi' });

    // Assess
    expect(result).toMatchObject({ test: 'psi', threshold: 0.2, drifted: true });
  });

  it('refuses NaN before choosing a test', () => {
    // Act & Assess
    expect(() =>
      detectFeatureDrift({ name: 'x', type: 'numeric', reference: [1, Number.NaN], current: [1] }),
    ).toThrow('reference sample contains NaN at index 1');
  });
});
