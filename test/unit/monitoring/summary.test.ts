import { chiSquareFromCounts } from '../../../lambdas/monitoring/domain/chi-square';
import { IncompatibleSummariesError } from '../../../lambdas/monitoring/domain/errors';
import { jensenShannon } from '../../../lambdas/monitoring/domain/jensen-shannon';
import { ks2samp } from '../../../lambdas/monitoring/domain/ks';
import { categoricalPsi, psi, quantileBins } from '../../../lambdas/monitoring/domain/psi';
import {
  categoricalJensenShannonFromSummaries,
  categoricalPsiFromSummaries,
  chiSquareFromSummaries,
  type FeatureSummary,
  jensenShannonFromSummaries,
  ksFromSummaries,
  merge,
  mergeAll,
  psiFromSummaries,
  sizeOf,
  summarizeBinned,
  summarizeCategories,
  summarizeSample,
  wassersteinFromSummaries,
} from '../../../lambdas/monitoring/domain/summary';
import { wassersteinDistance } from '../../../lambdas/monitoring/domain/wasserstein';
import { expectPValue, expectStatistic, loadFixture, mulberry32, sample } from './fixtures';

/** Splits values into `parts` shards of uneven sizes, in their original order. */
function shards<T>(values: ArrayLike<T>, parts: number, seed: number): T[][] {
  const next = mulberry32(seed);
  const cuts = Array.from({ length: parts - 1 }, () => next() % values.length).sort((a, b) => a - b);
  const bounds = [0, ...cuts, values.length];
  return bounds.slice(1).map((end, i) => Array.from(values).slice(bounds[i], end));
}

/** Merges in a scrambled tree order, as a Distributed Map's results may arrive. */
function mergeScrambled<T extends FeatureSummary>(summaries: T[], seed: number): T {
  const next = mulberry32(seed);
  const pool = [...summaries];
  while (pool.length > 1) {
    const a = pool.splice(next() % pool.length, 1)[0];
    const b = pool.splice(next() % pool.length, 1)[0];
    pool.push(merge(a, b));
  }
  return pool[0];
}

const numericPairs: [string, string][] = [
  ['normal_500', 'shifted_500'],
  ['poisson_300', 'poisson_250'],
  ['gen_normal_100k_a', 'gen_slight_100k'],
];

describe('sample summaries merge to the one-pass KS and Wasserstein results', () => {
  it.each(numericPairs)('%s vs %s over 7 shards', (refName, curName) => {
    // Prepare
    const reference = sample(refName);
    const current = sample(curName);
    const parts = shards(current, 7, 1).map((s) => summarizeSample(s));

    // Act
    const merged = mergeScrambled(parts, 2);

    // Assess
    const onePassKs = ks2samp(reference, current);
    const fromShards = ksFromSummaries(summarizeSample(reference, 'reference'), merged);
    expect(fromShards).toEqual(onePassKs);
    expect(wassersteinFromSummaries(summarizeSample(reference, 'reference'), merged)).toBe(
      wassersteinDistance(reference, current),
    );
    expect(sizeOf(merged)).toBe(current.length);
  });

  it('gives the scipy fixture values after merging', () => {
    // Prepare
    const c = loadFixture<{ cases: { name: string; statistic: number; pValue: number }[] }>(
      'ks.json',
    ).cases.find((k) => k.name === 'large slight shift (100k)')!;
    const merged = mergeAll(shards(sample('gen_slight_100k'), 13, 3).map((s) => summarizeSample(s)));

    // Act
    const result = ksFromSummaries(summarizeSample(sample('gen_normal_100k_a')), merged);

    // Assess
    expectStatistic(result.statistic, c.statistic);
    expectPValue(result.pValue, c.pValue);
  });
});

describe('binned summaries merge to the one-pass PSI and Jensen-Shannon results', () => {
  it.each(numericPairs)('%s vs %s over 5 shards', (refName, curName) => {
    // Prepare
    const reference = sample(refName);
    const current = sample(curName);
    const bins = quantileBins(reference);
    const referenceSummary = summarizeBinned(reference, bins, 'reference');

    // Act
    const merged = mergeScrambled(
      shards(current, 5, 4).map((s) => summarizeBinned(s, bins)),
      5,
    );

    // Assess
    expect(psiFromSummaries(referenceSummary, merged)).toBe(psi(reference, current).statistic);
    expect(jensenShannonFromSummaries(referenceSummary, merged)).toBe(
      jensenShannon(reference, current).statistic,
    );
  });

  it('fails to merge summaries on different cut points', () => {
    // Prepare
    const a = summarizeBinned([1, 2, 3], { cutPoints: [1.5] });
    const b = summarizeBinned([1, 2, 3], { cutPoints: [2.5] });

    // Act & Assess
    expect(() => merge(a, b)).toThrow(IncompatibleSummariesError);
  });
});

describe('categorical summaries merge to the one-pass chi-square, PSI and Jensen-Shannon results', () => {
  const labels = (seed: number, n: number, weights: number[]) => {
    const next = mulberry32(seed);
    const cats = ['a', 'b', 'c', 'd', 'e'];
    const cumulative = weights.map((_, i) => weights.slice(0, i + 1).reduce((x, y) => x + y, 0));
    return Array.from({ length: n }, () => {
      const u = next() / 2 ** 32;
      return cats[cumulative.findIndex((c) => u < c)];
    });
  };

  it('over 6 shards', () => {
    // Prepare
    const reference = labels(7, 800, [0.3, 0.3, 0.2, 0.1, 0.1]);
    const current = labels(8, 900, [0.25, 0.3, 0.2, 0.15, 0.1]);
    const referenceSummary = summarizeCategories(reference, 'reference');

    // Act
    const merged = mergeScrambled(
      shards(current, 6, 9).map((s) => summarizeCategories(s)),
      10,
    );

    // Assess
    const onePass = chiSquareFromCounts(referenceSummary.counts, summarizeCategories(current).counts);
    expect(chiSquareFromSummaries(referenceSummary, merged)).toEqual(onePass);
    expect(categoricalPsiFromSummaries(referenceSummary, merged)).toBe(
      categoricalPsi(reference, current).statistic,
    );
    expect(categoricalJensenShannonFromSummaries(referenceSummary, merged)).toBeGreaterThan(0);
    expect(sizeOf(merged)).toBe(900);
  });
});

describe('merge', () => {
  it('is commutative for sample summaries', () => {
    // Prepare
    const a = summarizeSample([3, 1, 2]);
    const b = summarizeSample([2.5, 0]);

    // Act & Assess
    expect(merge(a, b)).toEqual(merge(b, a));
    expect(merge(a, b).values).toEqual([0, 1, 2, 2.5, 3]);
  });

  it('fails on different kinds', () => {
    // Prepare
    // Typed as the union, as summaries decoded from JSON are.
    const [a, b]: FeatureSummary[] = [summarizeSample([1]), summarizeCategories(['x'])];

    // Act & Assess
    expect(() => merge(a, b)).toThrow('cannot merge a sample summary with a categorical summary');
  });

  it('fails on an empty list', () => {
    // Act & Assess
    expect(() => mergeAll([])).toThrow('cannot merge an empty list of summaries');
  });

  it('refuses to summarize NaN', () => {
    // Act & Assess
    expect(() => summarizeSample([1, Number.NaN])).toThrow('current sample contains NaN at index 1');
  });
});
