/**
 * Loads the reference fixtures written by scripts/fixtures/experiments_fixtures.py (scipy,
 * statsmodels and, where scipy is less exact than the tolerance, mpmath) and the tolerances the
 * issue fixes: statistics within 1e-12 relative, p-values within 1e-9 relative or 1e-300 absolute.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads and parses one fixture file of test/fixtures/experiments/. */
export function loadFixture<T>(file: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'experiments', file), 'utf8')) as T;
}

/** A fixture number: JSON carries infinities and NaN as strings. */
export const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

function within(actual: number, expected: number, relative: number, absolute: number): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  const tolerance = Math.max(absolute, relative * Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(
      `expected ${expected}, got ${actual} (difference ${actual - expected}, tolerance ${tolerance})`,
    );
  }
}

/** A statistic: within max(1e-12, 1e-12 x |expected|) (1e-12 absolute near zero). */
export const expectStatistic = (actual: number, expected: number | string): void =>
  within(actual, num(expected), 1e-12, 1e-12);

/** A p-value or probability: within 1e-9 relative, or 1e-300 absolute. */
export const expectPValue = (actual: number, expected: number | string): void =>
  within(actual, num(expected), 1e-9, 1e-300);
