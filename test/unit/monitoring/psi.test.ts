import { InvalidSampleError } from '../../../lambdas/monitoring/domain/errors';
import {
  categoricalPsi,
  categoricalPsiFromCounts,
  flooredProportions,
  psi,
  psiFromCounts,
  quantileBins,
  quantileEdges,
} from '../../../lambdas/monitoring/domain/psi';
import { expectStatistic, loadFixture, sample } from './fixtures';

interface BinnedCase {
  name: string;
  reference: string;
  current: string;
  bins: number;
  edges: number[];
  cutPoints: number[];
  referenceCounts: number[];
  currentCounts: number[];
  psi: number;
}
interface TableCase {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  categories: string[];
  psi: number;
  labels?: { reference: string[]; current: string[] };
}

const binned = loadFixture<{ cases: BinnedCase[] }>('binned.json').cases;
const tables = loadFixture<{ cases: TableCase[] }>('categorical.json').cases;

describe('numeric PSI on reference-quantile bins', () => {
  it.each(binned.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Prepare
    const reference = sample(c.reference);
    const current = sample(c.current);

    // Act
    const result = psi(reference, current, { bins: c.bins });

    // Assess
    expect(quantileEdges(reference.slice().sort(), c.bins)).toEqual(c.edges);
    expect(result.cutPoints).toEqual(c.cutPoints);
    expect(result.referenceCounts).toEqual(c.referenceCounts);
    expect(result.currentCounts).toEqual(c.currentCounts);
    expectStatistic(result.statistic, c.psi);
  });

  it('defaults to 10 bins', () => {
    // Prepare
    const reference = Array.from({ length: 1000 }, (_, i) => i);

    // Act
    const bins = quantileBins(reference);

    // Assess
    expect(bins.cutPoints).toHaveLength(9);
  });

  it('is 0 for identical samples', () => {
    // Prepare
    const values = sample('normal_400');

    // Act
    const result = psi(values, values);

    // Assess
    expect(result.statistic).toBe(0);
  });

  it.each([
    ['empty current', [1, 2], [], 'current sample is empty'],
    ['NaN in reference', [1, Number.NaN], [1], 'reference sample contains NaN at index 1'],
    [
      'Infinity in current',
      [1, 2],
      [Number.POSITIVE_INFINITY],
      'current sample contains Infinity at index 0',
    ],
  ])('fails on %s', (_label, reference, current, message) => {
    // Act & Assess
    expect(() => psi(reference, current)).toThrow(InvalidSampleError);
    expect(() => psi(reference, current)).toThrow(message);
  });

  it('fails on a bin count that is not a positive integer', () => {
    // Act & Assess
    expect(() => quantileBins([1, 2, 3], { bins: 0 })).toThrow('bins must be an integer >= 1, got 0');
  });

  it('fails when the bins of the two sides differ', () => {
    // Act & Assess
    expect(() => psiFromCounts([1, 2, 3], [1, 2])).toThrow('reference has 3 bins but current has 2');
  });
});

describe('empty-bin floor (Evidently feel_zeroes)', () => {
  it('gives an empty bin 1e-4', () => {
    // Act
    const proportions = flooredProportions([0, 5, 5], 10);

    // Assess
    expect(proportions).toEqual([1e-4, 0.5, 0.5]);
  });

  it('gives min/1e6 when the smallest share is already <= 1e-4', () => {
    // Act
    const proportions = flooredProportions([0, 1, 19999], 20000);

    // Assess
    expect(proportions[0]).toBe(0.00005 / 1e6);
  });
});

describe('categorical PSI over the union of categories', () => {
  it.each(tables.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Act
    const result = categoricalPsiFromCounts(c.reference, c.current);

    // Assess
    expect(result.categories).toEqual(c.categories);
    expectStatistic(result.statistic, c.psi);
  });

  it('counts labels the same way as counts', () => {
    // Prepare
    const c = tables.find((t) => t.labels)!;

    // Act
    const result = categoricalPsi(c.labels!.reference, c.labels!.current);

    // Assess
    expectStatistic(result.statistic, c.psi);
  });

  it('fails on an empty sample', () => {
    // Act & Assess
    expect(() => categoricalPsi(['a'], [])).toThrow('current sample is empty');
  });
});
