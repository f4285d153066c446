import {
  categoricalJensenShannon,
  categoricalJensenShannonFromCounts,
  jensenShannon,
  jensenShannonFromCounts,
} from '../../../lambdas/monitoring/domain/jensen-shannon';
import { expectStatistic, loadFixture, sample } from './fixtures';

interface Expected {
  name: string;
  jensenShannon: number;
  jensenShannonBase2: number;
}
interface BinnedCase extends Expected {
  reference: string;
  current: string;
  bins: number;
  cutPoints: number[];
}
interface TableCase extends Expected {
  reference: Record<string, number>;
  current: Record<string, number>;
  labels?: { reference: string[]; current: string[] };
}

const binned = loadFixture<{ cases: BinnedCase[] }>('binned.json').cases;
const tables = loadFixture<{ cases: TableCase[] }>('categorical.json').cases;

describe('jensenShannon equals scipy.spatial.distance.jensenshannon on the PSI bins', () => {
  it.each(binned.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Prepare
    const reference = sample(c.reference);
    const current = sample(c.current);

    // Act
    const natural = jensenShannon(reference, current, { bins: c.bins });
    const base2 = jensenShannon(reference, current, { bins: c.bins, base: 2 });

    // Assess
    expect(natural.cutPoints).toEqual(c.cutPoints);
    expectStatistic(natural.statistic, c.jensenShannon);
    expectStatistic(base2.statistic, c.jensenShannonBase2);
  });
});

describe('categorical Jensen-Shannon over the union of categories', () => {
  it.each(tables.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Act
    const natural = categoricalJensenShannonFromCounts(c.reference, c.current);
    const base2 = categoricalJensenShannonFromCounts(c.reference, c.current, { base: 2 });

    // Assess
    expectStatistic(natural.statistic, c.jensenShannon);
    expectStatistic(base2.statistic, c.jensenShannonBase2);
  });

  it('counts labels the same way as counts', () => {
    // Prepare
    const c = tables.find((t) => t.labels)!;

    // Act
    const result = categoricalJensenShannon(c.labels!.reference, c.labels!.current);

    // Assess
    expectStatistic(result.statistic, c.jensenShannon);
  });
});

describe('jensenShannonFromCounts', () => {
  it('is 1 in base 2 for disjoint distributions', () => {
    // Act
    const distance = jensenShannonFromCounts([1, 0], [0, 3], { base: 2 });

    // Assess
    expect(distance).toBeCloseTo(1, 15);
  });

  it('is 0, never NaN, for proportional inputs', () => {
    // Act
    const distance = jensenShannonFromCounts([1, 2, 3], [2, 4, 6]);

    // Assess
    expect(distance).toBe(0);
  });

  it.each([
    ['different lengths', [1, 2], [1], 'reference has 2 bins but current has 1'],
    ['an empty vector', [], [], 'reference distribution is empty'],
    ['a zero sum', [0, 0], [1, 1], 'reference distribution sums to zero'],
    ['a negative weight', [1, 1], [1, -1], 'current distribution has an invalid weight (-1) at index 1'],
    [
      'a NaN weight',
      [1, Number.NaN],
      [1, 1],
      'reference distribution has an invalid weight (NaN) at index 1',
    ],
  ])('fails on %s', (_label, p, q, message) => {
    // Act & Assess
    expect(() => jensenShannonFromCounts(p, q)).toThrow(message);
  });
});
