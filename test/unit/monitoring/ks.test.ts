import { InvalidSampleError } from '../../../lambdas/monitoring/domain/errors';
import { ks2samp, outerProbInsideMethod, probOutsideSquare } from '../../../lambdas/monitoring/domain/ks';
import { kstwoSf } from '../../../lambdas/monitoring/domain/kstwo';
import { numpySum } from '../../../lambdas/shared/numeric';
import { expectPValue, expectStatistic, generate, generatedSamples, loadFixture, sample } from './fixtures';

interface KsCase {
  name: string;
  reference: string;
  current: string;
  statistic: number;
  pValue: number;
  statisticLocation: number;
  statisticSign: 1 | -1;
  method: 'exact' | 'asymp';
  path: string;
}
interface KstwoPoint {
  n: number;
  x: number;
  sf: number;
  branch: string;
}

const fixture = loadFixture<{ cases: KsCase[]; kstwo: KstwoPoint[] }>('ks.json');

describe('generated samples', () => {
  it.each(generatedSamples())('%s is rebuilt bit for bit', (_name, spec, check) => {
    // Act
    const values = generate(spec);

    // Assess
    expect(Array.from(values.subarray(0, 3))).toEqual(check.first);
    expect(values[values.length - 1]).toBe(check.last);
    expect(numpySum(values)).toBe(check.sum);
  });
});

describe('ks2samp equals scipy.stats.ks_2samp', () => {
  it.each(fixture.cases.map((c) => [`${c.name} [${c.path}]`, c] as const))('%s', (_label, c) => {
    // Prepare
    const reference = sample(c.reference);
    const current = sample(c.current);

    // Act
    const result = ks2samp(reference, current);

    // Assess
    expectStatistic(result.statistic, c.statistic);
    expectPValue(result.pValue, c.pValue);
    expect(result.method).toBe(c.method);
    expect(result.statisticLocation).toBe(c.statisticLocation);
    expect(result.statisticSign).toBe(c.statisticSign);
    expect(result.referenceSize).toBe(reference.length);
  });

  it('is symmetric in its p-value and leaves its inputs unsorted', () => {
    // Prepare
    const reference = [3, 1, 2, 5];
    const current = [4, 0.5, 2.5];

    // Act
    const forward = ks2samp(reference, current);
    const backward = ks2samp(current, reference);

    // Assess
    expect(backward.statistic).toBe(forward.statistic);
    expect(backward.pValue).toBe(forward.pValue);
    expect(backward.statisticSign).toBe(-forward.statisticSign);
    expect(reference).toEqual([3, 1, 2, 5]);
  });
});

describe('kstwoSf equals scipy.stats.kstwo.sf', () => {
  it.each(fixture.kstwo.map((p) => [p.n, p.x, p.branch, p] as const))('n=%d x=%d (%s)', (_n, _x, _b, p) => {
    // Act
    const sf = kstwoSf(p.x, p.n);

    // Assess
    expectPValue(sf, p.sf);
  });

  it('is 1 at or below 1/(2n) and 0 at or above 1', () => {
    // Act & Assess
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(0.05, 10)).toBe(1);
    expect(kstwoSf(1, 10)).toBe(0);
  });
});

describe('exact two-sample probabilities', () => {
  it('probOutsideSquare(n, n) is the chance that D = 1: 2 / C(2n, n)', () => {
    // Act
    const p = probOutsideSquare(3, 3);

    // Assess
    expect(p).toBeCloseTo(2 / 20, 15);
  });

  it('outerProbInsideMethod is symmetric in m and n', () => {
    // Act & Assess
    expect(outerProbInsideMethod(7, 5, 1, 20)).toBe(outerProbInsideMethod(5, 7, 1, 20));
  });
});

describe('invalid samples', () => {
  it.each([
    ['empty reference', [], [1], 'reference sample is empty'],
    ['empty current', [1], [], 'current sample is empty'],
    ['NaN', [0, 1, 2, Number.NaN], [1], 'reference sample contains NaN at index 3'],
    ['Infinity', [0], [1, Number.POSITIVE_INFINITY], 'current sample contains Infinity at index 1'],
    ['-Infinity', [Number.NEGATIVE_INFINITY], [1], 'reference sample contains -Infinity at index 0'],
  ])('fails on %s', (_label, reference, current, message) => {
    // Act & Assess
    expect(() => ks2samp(reference, current)).toThrow(InvalidSampleError);
    expect(() => ks2samp(reference, current)).toThrow(message);
  });

  it('carries code INVALID_SAMPLE and status 400', () => {
    // Act
    let error: unknown;
    try {
      ks2samp([Number.NaN], [1]);
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toMatchObject({ code: 'INVALID_SAMPLE', status: 400, name: 'InvalidSampleError' });
  });
});
