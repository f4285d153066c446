/**
 * Per-shard summaries of a feature's current data that merge without loss, so a Step Functions
 * Distributed Map over many capture files reaches the same statistics as one pass over all rows:
 * - `sample`: the sorted values, for KS and Wasserstein. Merging is a sorted merge, so the merged
 *   summary is exactly the sorted pooled sample and every statistic on it is bit-identical.
 * - `binned`: counts on the reference's quantile bins, for numeric PSI and Jensen-Shannon.
 * - `categorical`: counts per category, for chi-square, categorical PSI and Jensen-Shannon.
 * Counts are integers, so their sums are exact in any order. Summaries are plain JSON.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */

import { sortedCopy } from '../../shared/numeric';
import { type CategoryCounts, countCategories, totalOf } from './categories';
import { type ChiSquareResult, chiSquareFromCounts } from './chi-square';
import { assertFiniteSample, IncompatibleSummariesError, type SampleRole } from './errors';
import {
  categoricalJensenShannonFromCounts,
  type JensenShannonOptions,
  jensenShannonFromCounts,
} from './jensen-shannon';
import { type KsResult, ks2sampSorted } from './ks';
import { categoricalPsiFromCounts, countInBins, psiFromCounts, type QuantileBins } from './psi';
import { wassersteinDistanceSorted } from './wasserstein';

/** Sorted values of a shard (ascending). */
export interface SampleSummary {
  readonly kind: 'sample';
  readonly values: readonly number[];
}

/** Counts of a shard on fixed bins (the reference's cut points). */
export interface BinnedSummary {
  readonly kind: 'binned';
  readonly cutPoints: readonly number[];
  readonly counts: readonly number[];
}

/** Counts of a shard per category. */
export interface CategoricalSummary {
  readonly kind: 'categorical';
  readonly counts: CategoryCounts;
}

/** Any mergeable summary. */
export type FeatureSummary = SampleSummary | BinnedSummary | CategoricalSummary;

/**
 * Summarises numeric values as their sorted sample.
 * @throws InvalidSampleError on an empty sample or NaN / Infinity
 */
export function summarizeSample(values: ArrayLike<number>, role: SampleRole = 'current'): SampleSummary {
  assertFiniteSample(values, role);
  return { kind: 'sample', values: Array.from(sortedCopy(values)) };
}

/**
 * Summarises numeric values as counts on the given bins.
 * @throws InvalidSampleError on an empty sample or NaN / Infinity
 */
export function summarizeBinned(
  values: ArrayLike<number>,
  bins: QuantileBins,
  role: SampleRole = 'current',
): BinnedSummary {
  return { kind: 'binned', cutPoints: [...bins.cutPoints], counts: countInBins(values, bins, role) };
}

/**
 * Summarises category labels as counts.
 * @throws InvalidSampleError on an empty sample or a non-string label
 */
export function summarizeCategories(
  values: ArrayLike<string>,
  role: SampleRole = 'current',
): CategoricalSummary {
  return { kind: 'categorical', counts: countCategories(values, role) };
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++)
    out[k] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
  return out;
}

function sameCutPoints(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

/**
 * Merges two summaries of the same kind (and, for binned ones, the same cut points). Associative
 * and commutative: any order of merging shards gives the same summary.
 * @throws IncompatibleSummariesError when kinds or cut points differ
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
export function merge<T extends FeatureSummary>(a: T, b: T): T;
export function merge(a: FeatureSummary, b: FeatureSummary): FeatureSummary {
  if (a.kind !== b.kind) {
    throw new IncompatibleSummariesError(`cannot merge a ${a.kind} summary with a ${b.kind} summary`);
  }
  if (a.kind === 'sample' && b.kind === 'sample')
    return { kind: 'sample', values: mergeSorted(a.values, b.values) };
  if (a.kind === 'binned' && b.kind === 'binned') {
    if (!sameCutPoints(a.cutPoints, b.cutPoints)) {
      throw new IncompatibleSummariesError(
        `cannot merge binned summaries with different cut points (${a.cutPoints.length} vs ${b.cutPoints.length})`,
      );
    }
    return { kind: 'binned', cutPoints: a.cutPoints, counts: a.counts.map((c, i) => c + b.counts[i]) };
  }
  const counts: Record<string, number> = { ...(a as CategoricalSummary).counts };
  for (const [category, count] of Object.entries((b as CategoricalSummary).counts)) {
    counts[category] = (Object.hasOwn(counts, category) ? counts[category] : 0) + count;
  }
  return { kind: 'categorical', counts };
}

/**
 * Merges any number of summaries of one kind, left to right.
 * @throws IncompatibleSummariesError when the list is empty or kinds / cut points differ
 */
export function mergeAll<T extends FeatureSummary>(summaries: readonly T[]): T {
  if (summaries.length === 0) throw new IncompatibleSummariesError('cannot merge an empty list of summaries');
  return summaries.reduce((acc, s) => merge(acc, s));
}

/** Number of values a summary covers. */
export function sizeOf(summary: FeatureSummary): number {
  if (summary.kind === 'sample') return summary.values.length;
  if (summary.kind === 'binned') return summary.counts.reduce((x, y) => x + y, 0);
  return totalOf(summary.counts, 'summary');
}

/**
 * `ks_2samp` from two sample summaries.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 */
export function ksFromSummaries(reference: SampleSummary, current: SampleSummary): KsResult {
  return ks2sampSorted(reference.values, current.values);
}

/**
 * `wasserstein_distance` from two sample summaries.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.wasserstein_distance.html
 */
export function wassersteinFromSummaries(reference: SampleSummary, current: SampleSummary): number {
  return wassersteinDistanceSorted(reference.values, current.values);
}

function assertSameBins(reference: BinnedSummary, current: BinnedSummary): void {
  if (!sameCutPoints(reference.cutPoints, current.cutPoints)) {
    throw new IncompatibleSummariesError('reference and current summaries use different cut points');
  }
}

/** Numeric PSI from two binned summaries on the same cut points. */
export function psiFromSummaries(reference: BinnedSummary, current: BinnedSummary): number {
  assertSameBins(reference, current);
  return psiFromCounts(reference.counts, current.counts);
}

/**
 * Numeric Jensen-Shannon distance from two binned summaries on the same cut points.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 */
export function jensenShannonFromSummaries(
  reference: BinnedSummary,
  current: BinnedSummary,
  options: JensenShannonOptions = {},
): number {
  assertSameBins(reference, current);
  return jensenShannonFromCounts(reference.counts, current.counts, options);
}

/**
 * Chi-square test from two categorical summaries.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.chisquare.html
 */
export function chiSquareFromSummaries(
  reference: CategoricalSummary,
  current: CategoricalSummary,
): ChiSquareResult {
  return chiSquareFromCounts(reference.counts, current.counts);
}

/** Categorical PSI from two categorical summaries. */
export function categoricalPsiFromSummaries(
  reference: CategoricalSummary,
  current: CategoricalSummary,
): number {
  return categoricalPsiFromCounts(reference.counts, current.counts).statistic;
}

/**
 * Categorical Jensen-Shannon distance from two categorical summaries.
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 */
export function categoricalJensenShannonFromSummaries(
  reference: CategoricalSummary,
  current: CategoricalSummary,
  options: JensenShannonOptions = {},
): number {
  return categoricalJensenShannonFromCounts(reference.counts, current.counts, options).statistic;
}
