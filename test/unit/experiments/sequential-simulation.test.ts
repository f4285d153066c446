/**
 * The reason for sequential analysis, shown by simulation: 2,000 seeded A/A experiments (no true
 * effect), each read 20 times as outcomes arrive. Declaring a winner the first time a read looks
 * significant inflates the fixed-horizon test's false-positive rate far past alpha; the
 * always-valid p-value of the confidence sequence stays at or below alpha + 3 standard errors.
 */
import { sequentialInference } from '../../../lambdas/experiments/domain/sequential';
import { welchStatistic } from '../../../lambdas/experiments/domain/tests';

const EXPERIMENTS = 2000;
const READS = 20;
const UNITS_PER_ARM_PER_READ = 50;
const ALPHA = 0.05;
const { sqrt, log, cos, PI, imul } = Math;

/** mulberry32 (seeded, 32-bit state) uniforms in (0, 1). */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

interface Sums {
  n: number;
  sum: number;
  sumSquares: number;
}

const summary = (s: Sums) => {
  const mean = s.sum / s.n;
  return { mean, std: sqrt((s.sumSquares - s.n * mean * mean) / (s.n - 1)), n: s.n };
};

/** Fraction of A/A experiments some read of which rejects, for each test. */
function simulate(): { sequential: number; fixed: number } {
  const u = uniforms(20261206);
  const normal = () => sqrt(-2 * log(u())) * cos(2 * PI * u());
  let sequentialRejections = 0;
  let fixedRejections = 0;
  for (let e = 0; e < EXPERIMENTS; e++) {
    const arms: Sums[] = [
      { n: 0, sum: 0, sumSquares: 0 },
      { n: 0, sum: 0, sumSquares: 0 },
    ];
    let sequentialRejected = false;
    let fixedRejected = false;
    for (let r = 0; r < READS; r++) {
      for (const arm of arms) {
        for (let i = 0; i < UNITS_PER_ARM_PER_READ; i++) {
          const x = normal();
          arm.n += 1;
          arm.sum += x;
          arm.sumSquares += x * x;
        }
      }
      const [t, c] = arms.map(summary);
      const variance = (t.std * t.std) / t.n + (c.std * c.std) / c.n;
      if (sequentialInference(t.mean - c.mean, variance, t.n + c.n, ALPHA).pValue <= ALPHA)
        sequentialRejected = true;
      if (!fixedRejected && welchStatistic(t, c).pValue <= ALPHA) fixedRejected = true;
    }
    if (sequentialRejected) sequentialRejections += 1;
    if (fixedRejected) fixedRejections += 1;
  }
  return { sequential: sequentialRejections / EXPERIMENTS, fixed: fixedRejections / EXPERIMENTS };
}

describe('2,000 A/A experiments read 20 times each', () => {
  const rates = simulate();
  const threeStandardErrors = 3 * sqrt((ALPHA * (1 - ALPHA)) / EXPERIMENTS);

  it('keeps the sequential false-positive rate at most alpha + 3 standard errors', () => {
    expect(rates.sequential).toBeLessThanOrEqual(ALPHA + threeStandardErrors);
  });

  it('shows the fixed-horizon test, peeked at, inflating it', () => {
    expect(rates.fixed).toBeGreaterThan(ALPHA + threeStandardErrors);
  });
});
