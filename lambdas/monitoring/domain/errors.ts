/**
 * Errors of the drift statistics. A statistic never answers NaN for bad input: it throws one of
 * these, naming the sample and the first offending index, so a report says which feature was
 * unusable instead of carrying a silent `NaN` into CloudWatch (where `PutMetricData` rejects it).
 */
import { BadRequestError, type PlatformErrorOptions } from '../../shared/errors';

/** Which side of a comparison a sample came from, used in error messages. */
export type SampleRole = 'reference' | 'current' | (string & {});

/**
 * A sample a statistic cannot be computed on: empty, or holding NaN or +/-Infinity, or weights that
 * are negative or sum to zero. 400 `INVALID_SAMPLE`, e.g. `reference sample contains NaN at index 3`.
 *
 * `details` carries `{ sample, index?, problem }` so callers can point at the feature and row.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 */
export class InvalidSampleError extends BadRequestError {
  constructor(message: string, options?: PlatformErrorOptions) {
    super('INVALID_SAMPLE', message, options);
    this.name = 'InvalidSampleError';
  }
}

/**
 * Two summaries or bin layouts that cannot be combined (different reference bins, different kinds).
 * 400 `INCOMPATIBLE_SUMMARIES`: merging them would silently give a wrong statistic.
 */
export class IncompatibleSummariesError extends BadRequestError {
  constructor(message: string, options?: PlatformErrorOptions) {
    super('INCOMPATIBLE_SUMMARIES', message, options);
    this.name = 'IncompatibleSummariesError';
  }
}

/** Describes a non-finite number the way the messages name it (`NaN`, `Infinity`, `-Infinity`). */
function describe(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/**
 * Checks a numeric sample: non-empty and every value finite.
 * @throws InvalidSampleError `current sample is empty` or `reference sample contains NaN at index 3`
 */
export function assertFiniteSample(values: ArrayLike<number>, role: SampleRole): void {
  if (values.length === 0) {
    throw new InvalidSampleError(`${role} sample is empty`, { details: { sample: role, problem: 'EMPTY' } });
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // `typeof` guards JSON-decoded input where a null or string slipped into a number column.
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const what = typeof v === 'number' ? describe(v) : `a non-number (${String(v)})`;
      throw new InvalidSampleError(`${role} sample contains ${what} at index ${i}`, {
        details: { sample: role, index: i, problem: typeof v === 'number' ? describe(v) : 'NOT_A_NUMBER' },
      });
    }
  }
}

/**
 * Checks weights as `scipy.stats.wasserstein_distance` does: one per value, each finite and >= 0,
 * with a positive finite sum.
 * @throws InvalidSampleError naming the first bad weight, e.g. `reference weight at index 1 is negative (-1)`
 */
export function assertWeights(weights: ArrayLike<number>, length: number, role: SampleRole): void {
  if (weights.length !== length) {
    throw new InvalidSampleError(`${role} has ${weights.length} weights for ${length} values`, {
      details: { sample: `${role} weights`, problem: 'LENGTH_MISMATCH' },
    });
  }
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    const problem =
      typeof w !== 'number' ? 'NOT_A_NUMBER' : !Number.isFinite(w) ? describe(w) : w < 0 ? 'NEGATIVE' : '';
    if (problem) {
      const what =
        problem === 'NEGATIVE'
          ? `negative (${w})`
          : problem === 'NOT_A_NUMBER'
            ? `not a number (${String(w)})`
            : problem;
      throw new InvalidSampleError(`${role} weight at index ${i} is ${what}`, {
        details: { sample: `${role} weights`, index: i, problem },
      });
    }
    total += w;
  }
  if (!(total > 0 && Number.isFinite(total))) {
    throw new InvalidSampleError(`${role} weights must sum to a positive finite number, got ${total}`, {
      details: { sample: `${role} weights`, problem: 'ZERO_SUM' },
    });
  }
}

/**
 * Checks a categorical sample: non-empty, and every category a string (JSON `null` is refused
 * rather than counted as the category "null").
 * @throws InvalidSampleError `current sample contains a non-string (null) at index 2`
 */
export function assertCategoricalSample(values: ArrayLike<string>, role: SampleRole): void {
  if (values.length === 0) {
    throw new InvalidSampleError(`${role} sample is empty`, { details: { sample: role, problem: 'EMPTY' } });
  }
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'string') {
      throw new InvalidSampleError(
        `${role} sample contains a non-string (${String(values[i])}) at index ${i}`,
        {
          details: { sample: role, index: i, problem: 'NOT_A_STRING' },
        },
      );
    }
  }
}
