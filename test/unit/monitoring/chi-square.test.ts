import { chiSquare, chiSquareFromCounts } from '../../../lambdas/monitoring/domain/chi-square';
import { InvalidSampleError } from '../../../lambdas/monitoring/domain/errors';
import { chi2Sf, gammaincc } from '../../../lambdas/shared/numeric';
import { expectPValue, expectStatistic, loadFixture, num } from './fixtures';

interface TableCase {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  categories: string[];
  expected: number[];
  statistic: number | string;
  pValue: number | string;
  labels?: { reference: string[]; current: string[] };
}

const fixture = loadFixture<{ cases: TableCase[]; chi2: { df: number; x: number; sf: number }[] }>(
  'categorical.json',
);
// scipy answers NaN for a single category (df = 0); that case is checked on its own below.
const scipyComparable = fixture.cases.filter((c) => c.pValue !== 'NaN');

describe('chiSquareFromCounts equals scipy.stats.chisquare(current, reference proportions * n)', () => {
  it.each(scipyComparable.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Act
    const result = chiSquareFromCounts(c.reference, c.current);

    // Assess
    expect(result.categories).toEqual(c.categories);
    for (const [i, e] of result.expected.entries()) expectStatistic(e, c.expected[i]);
    expectStatistic(result.statistic, num(c.statistic));
    expectPValue(result.pValue, num(c.pValue));
    expect(result.df).toBe(c.categories.length - 1);
  });

  it('counts labels the same way as counts', () => {
    // Prepare
    const c = fixture.cases.find((t) => t.labels)!;

    // Act
    const result = chiSquare(c.labels!.reference, c.labels!.current);

    // Assess
    expectStatistic(result.statistic, num(c.statistic));
    expectPValue(result.pValue, num(c.pValue));
  });
});

describe('edge cases', () => {
  it('reports a category unseen in the reference as certain drift, as scipy does for that table', () => {
    // Act
    const result = chiSquareFromCounts({ a: 60, b: 40 }, { a: 50, b: 30, new: 20 });

    // Assess
    expect(result.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(result.pValue).toBe(0);
    expect(result.unseenCategories).toEqual(['new']);
  });

  it('gives p = 1, not NaN, for a single category', () => {
    // Act
    const result = chiSquareFromCounts({ only: 10 }, { only: 7 });

    // Assess
    expect(result).toMatchObject({ statistic: 0, pValue: 1, df: 0 });
  });

  it.each([
    ['an empty current sample', ['a'], [], 'current sample is empty'],
    ['an empty reference sample', [], ['a'], 'reference sample is empty'],
    [
      'a null label',
      ['a', null as unknown as string],
      ['a'],
      'reference sample contains a non-string (null) at index 1',
    ],
  ])('fails on %s', (_label, reference, current, message) => {
    // Act & Assess
    expect(() => chiSquare(reference, current)).toThrow(InvalidSampleError);
    expect(() => chiSquare(reference, current)).toThrow(message);
  });

  it('fails on a fractional count', () => {
    // Act & Assess
    expect(() => chiSquareFromCounts({ a: 1.5 }, { a: 1 })).toThrow(
      'reference count for category "a" must be a non-negative integer, got 1.5',
    );
  });
});

describe('chi2Sf equals scipy.stats.chi2.sf', () => {
  it.each(fixture.chi2.map((p) => [p.df, p.x, p] as const))('df=%d x=%d', (_df, _x, p) => {
    // Act
    const sf = chi2Sf(p.x, p.df);

    // Assess
    expectPValue(sf, p.sf);
  });

  it('follows gammaincc at its ends', () => {
    // Act & Assess
    expect(gammaincc(2, 0)).toBe(1);
    expect(gammaincc(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(gammaincc(0, 1)).toBeNaN();
    expect(gammaincc(1, 3)).toBeCloseTo(Math.exp(-3), 15);
  });
});
