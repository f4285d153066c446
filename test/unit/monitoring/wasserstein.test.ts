import {
  normalisedWassersteinDistance,
  wassersteinDistance,
  wassersteinDistanceSorted,
} from '../../../lambdas/monitoring/domain/wasserstein';
import { expectStatistic, loadFixture, sample } from './fixtures';

interface WassersteinCase {
  name: string;
  reference: string;
  current: string;
  distance: number;
  normalised?: number;
  referenceWeights?: number[];
  currentWeights?: number[];
}

const cases = loadFixture<{ cases: WassersteinCase[] }>('wasserstein.json').cases;
const unweighted = cases.filter((c) => !c.referenceWeights);
const weighted = cases.filter((c) => c.referenceWeights);

describe('wassersteinDistance equals scipy.stats.wasserstein_distance', () => {
  it.each(unweighted.map((c) => [c.name, c] as const))('unweighted: %s', (_name, c) => {
    // Prepare
    const reference = sample(c.reference);
    const current = sample(c.current);

    // Act
    const distance = wassersteinDistance(reference, current);
    const normalised = normalisedWassersteinDistance(reference, current);

    // Assess
    expectStatistic(distance, c.distance);
    expectStatistic(normalised, c.normalised!);
  });

  it.each(weighted.map((c) => [c.name, c] as const))('weighted: %s', (_name, c) => {
    // Prepare
    const reference = sample(c.reference);
    const current = sample(c.current);

    // Act
    const distance = wassersteinDistance(reference, current, c.referenceWeights, c.currentWeights);

    // Assess
    expectStatistic(distance, c.distance);
  });

  it('gives the same bits from pre-sorted input', () => {
    // Prepare
    const reference = sample('normal_400');
    const current = sample('normal_300');

    // Act
    const sorted = wassersteinDistanceSorted(reference.slice().sort(), current.slice().sort());

    // Assess
    expect(sorted).toBe(wassersteinDistance(reference, current));
  });
});

describe('invalid input', () => {
  it.each([
    ['an empty sample', [], [1], undefined, undefined, 'reference sample is empty'],
    ['NaN', [1], [2, Number.NaN], undefined, undefined, 'current sample contains NaN at index 1'],
    ['a negative weight', [1, 2], [3], [1, -1], undefined, 'reference weight at index 1 is negative (-1)'],
    [
      'weights summing to 0',
      [1, 2],
      [3],
      undefined,
      [0],
      'current weights must sum to a positive finite number, got 0',
    ],
    ['a weight count mismatch', [1, 2], [3], [1], undefined, 'reference has 1 weights for 2 values'],
    [
      'an infinite weight',
      [1],
      [3],
      [Number.POSITIVE_INFINITY],
      undefined,
      'reference weight at index 0 is Infinity',
    ],
  ])('fails on %s', (_label, u, v, uw, vw, message) => {
    // Act & Assess
    expect(() => wassersteinDistance(u, v, uw, vw)).toThrow(message);
  });
});
