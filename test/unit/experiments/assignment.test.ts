import {
  armOfBucket,
  assign,
  BUCKETS,
  bucketOf,
  dealingOrder,
} from '../../../lambdas/experiments/domain/assignment';
import { sampleRatioMismatch } from '../../../lambdas/experiments/domain/srm';

const HALF = [
  { name: 'control', trafficPercent: 50 },
  { name: 'treatment', trafficPercent: 50 },
];

/**
 * The vectors the README publishes. Buckets cross-checked with Python:
 * int.from_bytes(hashlib.sha256(f'{salt}:{unit}'.encode()).digest()[:8], 'big') % 10000
 */
const VECTORS = [
  ['5f2c7d0e9a1b4c3d8e6f0a1b2c3d4e5f', 'customer-1', 4534, 'control'],
  ['5f2c7d0e9a1b4c3d8e6f0a1b2c3d4e5f', 'customer-2', 5974, 'treatment'],
  ['5f2c7d0e9a1b4c3d8e6f0a1b2c3d4e5f', 'customer-3', 4680, 'control'],
  ['5f2c7d0e9a1b4c3d8e6f0a1b2c3d4e5f', 'customer-42', 8813, 'treatment'],
  ['0123456789abcdef0123456789abcdef', 'customer-1', 2179, 'control'],
  ['0123456789abcdef0123456789abcdef', 'user@example.com', 6912, 'treatment'],
] as const;

describe('assignment', () => {
  it.each(VECTORS)('salt %s, unit %s: bucket %i, arm %s (50/50)', (salt, unit, bucket, arm) => {
    expect(assign(salt, HALF, unit)).toEqual({ bucket, arm });
  });

  it('deals buckets to control first, by cumulative split', () => {
    const arms = dealingOrder(
      [
        { name: 'treatment', trafficPercent: 10 },
        { name: 'control', trafficPercent: 90 },
      ],
      'control',
    );
    expect(armOfBucket(arms, 0)).toBe('control');
    expect(armOfBucket(arms, 8999)).toBe('control');
    expect(armOfBucket(arms, 9000)).toBe('treatment');
    expect(armOfBucket(arms, BUCKETS - 1)).toBe('treatment');
  });

  it('moves units only from control to treatment as the treatment share rises', () => {
    // Prepare
    const salt = 'aa11';
    const units = Array.from({ length: 5000 }, (_, i) => `u${i}`);
    let previous = units.map(() => 'control');

    for (const share of [1, 5, 10, 25, 50, 75, 99]) {
      // Act
      const arms = [
        { name: 'control', trafficPercent: 100 - share },
        { name: 'treatment', trafficPercent: share },
      ];
      const now = units.map((u) => assign(salt, arms, u).arm);

      // Assess
      expect(now.filter((a, i) => previous[i] === 'treatment' && a !== 'treatment')).toEqual([]);
      previous = now;
    }
  });

  it('reshuffles units in another experiment', () => {
    const units = Array.from({ length: 2000 }, (_, i) => `u${i}`);
    const same = units.filter((u) => assign('salt-a', HALF, u).arm === assign('salt-b', HALF, u).arm).length;
    // Independent 50/50 assignments agree for about half the units (binomial sd ~22).
    expect(Math.abs(same - 1000)).toBeLessThan(120);
  });

  it('spreads 10^6 units uniformly over the 10,000 buckets (chi-square p > 0.001)', () => {
    // Prepare
    const counts = new Array<number>(BUCKETS).fill(0);

    // Act
    for (let i = 0; i < 1_000_000; i++)
      counts[bucketOf('5f2c7d0e9a1b4c3d8e6f0a1b2c3d4e5f', `unit-${i}`)] += 1;
    const result = sampleRatioMismatch(counts, new Array<number>(BUCKETS).fill(100 / BUCKETS));

    // Assess
    expect(result.pValue).toBeGreaterThan(0.001);
  });
});
