import { benjaminiHochberg, holm } from '../../../lambdas/experiments/domain/multiple-testing';
import {
  normalIndPower,
  requiredSampleSize,
  tTestIndPower,
} from '../../../lambdas/experiments/domain/sample-size';
import { sequentialHalfWidth, sequentialInference } from '../../../lambdas/experiments/domain/sequential';
import { sampleRatioMismatch } from '../../../lambdas/experiments/domain/srm';
import { proportionTest, relativeLift, welchTest } from '../../../lambdas/experiments/domain/tests';
import { expectPValue, expectStatistic, loadFixture, num } from './fixtures';

type N = number | string;
interface Bound {
  alpha: number;
  lower: N;
  upper: N;
}
interface MeanArm {
  mean: number;
  std: number;
  n: number;
}
interface Fixture {
  welch: { treatment: MeanArm; control: MeanArm; statistic: N; pValue: N; df: N; intervals: Bound[] }[];
  proportions: {
    treatment: { successes: number; n: number };
    control: { successes: number; n: number };
    statistic: N;
    pValue: N;
    intervals: Bound[];
  }[];
  lift: { treatment: MeanArm; control: MeanArm; lift: N; standardError: N; intervals: Bound[] }[];
  srm: { counts: number[]; splitPercent: number[]; expected: N[]; statistic: N; pValue: N }[];
  multipleTesting: { pValues: number[]; holm: N[]; holmReject: boolean[]; bh: N[]; bhReject: boolean[] }[];
  sampleSize: {
    metric: 'proportion' | 'mean';
    baseline: number;
    standardDeviation?: number;
    mde: number;
    alpha: number;
    power: number;
    ratio: number;
    effectSize: N;
    nobs1: N;
    powerAtCeil: N;
  }[];
  power: { effectSize: number; nobs1: number; alpha: number; ratio: number; normal: N; ttest: N }[];
  sequential: { n: number; variance: number; alpha: number; tuningN: number; halfWidth: N }[];
}
const fixture = loadFixture<Fixture>('statistics.json');
const label = (i: number) => `case ${i}`;

describe('welchTest equals scipy.stats.ttest_ind_from_stats(equal_var=False)', () => {
  it.each(fixture.welch.map((c, i) => [label(i), c] as const))('%s', (_n, c) => {
    for (const bound of c.intervals) {
      // Act
      const r = welchTest(c.treatment, c.control, bound.alpha);

      // Assess
      expectStatistic(r.statistic, c.statistic);
      expectPValue(r.pValue, c.pValue);
      expectStatistic(r.df ?? Number.NaN, c.df);
      expectStatistic(r.interval.lower, bound.lower);
      expectStatistic(r.interval.upper, bound.upper);
    }
  });
});

describe('proportionTest equals statsmodels proportions_ztest and confint_proportions_2indep(wald)', () => {
  it.each(fixture.proportions.map((c, i) => [label(i), c] as const))('%s', (_n, c) => {
    for (const bound of c.intervals) {
      const r = proportionTest(c.treatment, c.control, bound.alpha);
      expectStatistic(r.statistic, c.statistic);
      expectPValue(r.pValue, c.pValue);
      expectStatistic(r.interval.lower, bound.lower);
      expectStatistic(r.interval.upper, bound.upper);
    }
  });
});

describe('relativeLift equals the delta-method interval at 40 digits', () => {
  it.each(fixture.lift.map((c, i) => [label(i), c] as const))('%s', (_n, c) => {
    const vt = (c.treatment.std * c.treatment.std) / c.treatment.n;
    const vc = (c.control.std * c.control.std) / c.control.n;
    for (const bound of c.intervals) {
      const r = relativeLift(c.treatment.mean, c.control.mean, [vt, vc], bound.alpha);
      expectStatistic(r.lift, c.lift);
      expectStatistic(r.standardError, c.standardError);
      expectStatistic(r.interval.lower, bound.lower);
      expectStatistic(r.interval.upper, bound.upper);
    }
  });
});

describe('sampleRatioMismatch equals scipy.stats.chisquare against the split', () => {
  it.each(fixture.srm.map((c) => [`${c.counts} vs ${c.splitPercent}`, c] as const))('%s', (_n, c) => {
    const r = sampleRatioMismatch(c.counts, c.splitPercent);
    r.expected.forEach((e, i) => {
      expectStatistic(e, c.expected[i]);
    });
    expectStatistic(r.statistic, c.statistic);
    expectPValue(r.pValue, c.pValue);
    expect(r.mismatch).toBe(num(c.pValue) < 0.001);
  });

  it('reports no mismatch before any unit', () => {
    expect(sampleRatioMismatch([0, 0], [50, 50])).toMatchObject({ statistic: 0, pValue: 1, mismatch: false });
  });
});

describe('holm and benjaminiHochberg equal statsmodels multipletests', () => {
  it.each(fixture.multipleTesting.map((c) => [`${c.pValues}`, c] as const))('%s', (_n, c) => {
    const h = holm(c.pValues);
    const b = benjaminiHochberg(c.pValues);
    h.adjusted.forEach((v, i) => {
      expectPValue(v, c.holm[i]);
    });
    b.adjusted.forEach((v, i) => {
      expectPValue(v, c.bh[i]);
    });
    expect(h.reject).toEqual(c.holmReject);
    expect(b.reject).toEqual(c.bhReject);
  });
});

describe('power functions equal statsmodels NormalIndPower and TTestIndPower', () => {
  it.each(fixture.power.map((c) => [`d ${c.effectSize}, n ${c.nobs1}, ratio ${c.ratio}`, c] as const))(
    '%s',
    (_n, c) => {
      expectPValue(normalIndPower(c.effectSize, c.nobs1, c.alpha, c.ratio), c.normal);
      expectPValue(tTestIndPower(c.effectSize, c.nobs1, c.alpha, c.ratio), c.ttest);
    },
  );
});

describe('requiredSampleSize equals statsmodels solve_power', () => {
  it.each(fixture.sampleSize.map((c, i) => [`${c.metric} ${label(i)}`, c] as const))('%s', (_n, c) => {
    // Act
    const plan = requiredSampleSize(
      c.metric === 'proportion'
        ? { kind: 'proportion', baselineRate: c.baseline }
        : { kind: 'mean', baselineMean: c.baseline, standardDeviation: c.standardDeviation ?? 1 },
      c.mde,
      c.alpha,
      c.power,
      c.ratio,
    );

    // Assess
    expectStatistic(plan.effectSize, c.effectSize);
    // statsmodels' bracketing solver stops near the root, not at it (its power there misses the
    // target by up to 2.5e-9); ours runs to adjacent doubles, so it is held to the power function
    // within 1e-12 and to statsmodels' root within what that solver leaves.
    expect(Math.abs(plan.nobs1 - num(c.nobs1))).toBeLessThanOrEqual(1e-8 * num(c.nobs1));
    const power = c.metric === 'proportion' ? normalIndPower : tTestIndPower;
    expect(Math.abs(power(Math.abs(plan.effectSize), plan.nobs1, c.alpha, c.ratio) - c.power)).toBeLessThan(
      1e-12,
    );
    expect(plan.perArm).toEqual([Math.ceil(num(c.nobs1)), Math.ceil(num(c.nobs1) * c.ratio)]);
  });
});

describe('sequential confidence sequence', () => {
  it.each(fixture.sequential.map((c) => [`n ${c.n}, v ${c.variance}`, c] as const))(
    '%s half-width',
    (_n, c) => {
      expectStatistic(sequentialHalfWidth(c.n, c.variance, c.alpha, c.tuningN), c.halfWidth);
    },
  );

  it('p-value crosses alpha exactly where the interval crosses zero', () => {
    // Prepare
    const half = sequentialHalfWidth(4000, 1e-3, 0.05, 5000);

    // Act
    const inside = sequentialInference(half * 0.999, 1e-3, 4000, 0.05);
    const outside = sequentialInference(half * 1.001, 1e-3, 4000, 0.05);

    // Assess
    expect(inside.interval.lower).toBeLessThan(0);
    expect(inside.pValue).toBeGreaterThan(0.05);
    expect(outside.interval.lower).toBeGreaterThan(0);
    expect(outside.pValue).toBeLessThan(0.05);
  });
});
