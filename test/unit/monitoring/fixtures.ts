/**
 * Loads the scipy fixtures written by scripts/fixtures/drift_fixtures.py and rebuilds the large
 * samples from their generation rule, bit for bit the way the Python generator builds them:
 * mulberry32 integers, 53-bit uniforms and transforms that use only + - * / sqrt floor (correctly
 * rounded by IEEE 754 in both languages). Also the comparison tolerances every test uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '..', 'fixtures', 'drift');
// Module-level aliases: inside jest's vm context every global lookup (`Math`) is slow, and the
// generator makes millions of calls.
const { imul, floor, sqrt } = Math;

/** Reads and parses one fixture file. */
export function loadFixture<T>(file: string): T {
  return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;
}

/** A generated sample's rule (see `generate` in the Python generator). */
export interface GenerateSpec {
  readonly dist: 'normal' | 'cauchy' | 't3' | 'integer';
  readonly seed: number;
  readonly n: number;
  readonly loc?: number;
  readonly scale?: number;
  readonly k?: number;
  readonly sortedStride?: number;
}

type SampleSpec =
  | { readonly values: number[] }
  | { readonly generate: GenerateSpec; readonly check: { first: number[]; last: number; sum: number } };

/** mulberry32: a 32-bit state PRNG, written with the same integer steps as the Python twin. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Rebuilds a generated sample. */
export function generate(spec: GenerateSpec): Float64Array {
  const next = mulberry32(spec.seed);
  const uniform = () => ((next() >>> 5) * 67108864.0 + (next() >>> 6)) / 9007199254740992.0;
  const normal = () => {
    let s = 0.0;
    for (let i = 0; i < 12; i++) s += uniform();
    return s - 6.0;
  };
  const loc = spec.loc ?? 0.0;
  const scale = spec.scale ?? 1.0;
  let out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    let z: number;
    if (spec.dist === 'normal') z = normal();
    else if (spec.dist === 'cauchy') z = normal() / normal();
    else if (spec.dist === 't3') {
      z = normal();
      const a = normal();
      const b = normal();
      const c = normal();
      z = z / sqrt((a * a + b * b + c * c) / 3.0);
    } else z = floor(uniform() * (spec.k ?? 1));
    out[i] = loc + scale * z;
  }
  if (spec.sortedStride) {
    const stride = spec.sortedStride;
    const sorted = out.slice().sort();
    out = sorted.filter((_, i) => i % stride === 0);
  }
  return out;
}

const samplesFile = loadFixture<{ samples: Record<string, SampleSpec> }>('samples.json');
const cache = new Map<string, Float64Array>();

/** A named sample of samples.json, generated on first use. */
export function sample(name: string): Float64Array {
  const cached = cache.get(name);
  if (cached) return cached;
  const spec = samplesFile.samples[name];
  if (!spec) throw new Error(`no sample named ${name} in samples.json`);
  const values = 'values' in spec ? Float64Array.from(spec.values) : generate(spec.generate);
  cache.set(name, values);
  return values;
}

/** The generated samples with the check values the generator recorded. */
export function generatedSamples(): [string, GenerateSpec, { first: number[]; last: number; sum: number }][] {
  return Object.entries(samplesFile.samples).flatMap(([name, spec]) =>
    'generate' in spec ? [[name, spec.generate, spec.check] as const] : [],
  ) as [string, GenerateSpec, { first: number[]; last: number; sum: number }][];
}

/** Decodes the strings the generator writes for non-finite numbers. */
export function num(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Statistic tolerance: max(1e-12, 1e-12 * |expected|). */
export function expectStatistic(actual: number, expected: number): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-12, 1e-12 * Math.abs(expected)));
}

/** Below this a p-value is ~0: subnormal doubles carry too few digits for a relative bound. */
const TINY_P = 1e-300;

/** p-value tolerance: 1e-6 relative, or 1e-15 absolute when scipy's answer is ~0 (< 1e-300). */
export function expectPValue(actual: number, expected: number): void {
  expect(Number.isNaN(actual)).toBe(false);
  const tolerance = Math.abs(expected) < TINY_P ? 1e-15 : 1e-6 * Math.abs(expected);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
}
