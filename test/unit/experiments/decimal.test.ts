/**
 * Exact decimal sums: what the outcome writers send DynamoDB, and how a read sums a counter's
 * shards as DynamoDB returns them, so a total does not depend on batching, order or sharding.
 */
import { exactDecimalSum } from '../../../lambdas/experiments/domain/decimal';

describe('exactDecimalSum', () => {
  it('adds doubles at their shortest decimals, exactly, where floating point does not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(exactDecimalSum([0.1, 0.2])).toBe('3e-1');
    expect(exactDecimalSum([1e-3, 1.25, -0.75])).toBe('501e-3');
  });

  it('adds decimal strings as DynamoDB returns them (plain or with an exponent)', () => {
    expect(exactDecimalSum(['12.345', '1.5E+2', '-0.045', '0'])).toBe('1623e-1');
    expect(exactDecimalSum(['3', '4'])).toBe('7e0');
  });

  it('gives the same total however the terms are split into partial sums', () => {
    const values = Array.from({ length: 200 }, (_, i) => ((i * 37) % 101) * 0.01 - 0.3);
    const whole = exactDecimalSum(values);
    const shards = [0, 1, 2].map((k) => exactDecimalSum(values.filter((_, i) => i % 3 === k)));
    expect(exactDecimalSum(shards)).toBe(whole);
  });

  it('rounds a sum past 38 significant digits half-even, as DynamoDB keeps 38', () => {
    expect(exactDecimalSum(['1e40', '5e1'])).toBe('1e40');
    // 1e40 + 1500 has 41 digits: the last three (500) are a half, and the kept digit (1) is odd.
    expect(exactDecimalSum(['1e40', '15e2'])).toBe('10000000000000000000000000000000000002e3');
  });
});
